import type {
  Evidence,
  Meddpicc,
  NextStep,
  Stakeholder,
  StakeholderRole,
  Statement,
} from '../insights/schema.js';
import { MEDDPICC_KEYS, NEXT_STEP_PRIORITIES } from '../insights/schema.js';
import type { DraftInsights } from './draft.js';
import { emptyDraft } from './draft.js';

/**
 * One draft from the drafts of a conversation's chunks, in the order the chunks were spoken.
 * Overlapping chunks see the same turns twice, so the same item arrives more than once, often
 * worded a little differently: lists are deduplicated by what they say and by the quote they rest on.
 * Single facts that a conversation revises (budget, timeline, seat count, the stage) come from the
 * latest chunk that states one: a later figure corrects an earlier one.
 */
export function mergeDrafts(drafts: DraftInsights[]): DraftInsights {
  if (drafts.length === 0) return emptyDraft();
  if (drafts.length === 1) return drafts[0]!;
  const latest = <T>(pick: (d: DraftInsights) => T | null): T | null => {
    for (let i = drafts.length - 1; i >= 0; i--) {
      const value = pick(drafts[i]!);
      if (value !== null) return value;
    }
    return null;
  };
  const timelineDraft = latest((d) => (d.timeline ? d : null));
  return {
    summary: mergeSummaries(drafts.map((d) => d.summary)),
    decisions: dedupeStatements(drafts.flatMap((d) => d.decisions)),
    objections: dedupeStatements(drafts.flatMap((d) => d.objections)),
    nextSteps: mergeNextSteps(drafts.flatMap((d) => d.nextSteps)),
    stakeholders: mergeStakeholders(drafts.flatMap((d) => d.stakeholders)),
    contactDetails: dedupeBy(
      drafts.flatMap((d) => d.contactDetails ?? []),
      (c) => `${normalize(c.person)}|${c.kind}|${normalize(c.value)}`,
    ),
    budget: latest((d) => d.budget),
    timeline: timelineDraft?.timeline ?? null,
    timelineIsDecision: timelineDraft?.timelineIsDecision ?? false,
    competitors: dedupeBy(
      drafts.flatMap((d) => d.competitors),
      (c) => normalize(c.name),
    ),
    // The use case is framed early and only restated later, so the first statement of it is kept.
    useCase: drafts.find((d) => d.useCase)?.useCase ?? null,
    seatCount: latest((d) => d.seatCount),
    employeeCount: latest((d) => d.employeeCount ?? null),
    annualRevenue: latest((d) => d.annualRevenue ?? null),
    // Every system named anywhere is still theirs: the stack only grows.
    techStack: dedupeBy(
      drafts.flatMap((d) => d.techStack ?? []),
      (t) => normalize(t.name),
    ),
    decisionTimeline: latest((d) => d.decisionTimeline ?? null),
    meddpicc: mergeMeddpicc(drafts.map((d) => d.meddpicc)),
    confidence: Object.assign({}, ...drafts.map((d) => d.confidence)) as DraftInsights['confidence'],
    proposedStage: latest((d) => d.proposedStage),
  };
}

/** Lowercase, single-spaced, without trailing punctuation: how two wordings of one item compare. */
function normalize(text: string): string {
  return text
    .toLowerCase()
    .replace(/\s+/g, ' ')
    .replace(/[\s.!?;:,]+$/, '')
    .trim();
}

function evidenceKey(evidence: Evidence): string {
  return normalize(evidence.quote);
}

function dedupeBy<T>(items: T[], key: (item: T) => string): T[] {
  const seen = new Set<string>();
  return items.filter((item) => {
    const k = key(item);
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

/** The same statement by its text, or the same quote read twice from an overlap. */
function dedupeStatements<T extends Statement>(items: T[]): T[] {
  const texts = new Set<string>();
  const quotes = new Set<string>();
  return items.filter((item) => {
    const text = normalize(item.text);
    const quote = evidenceKey(item.evidence);
    if (texts.has(text) || quotes.has(quote)) return false;
    texts.add(text);
    quotes.add(quote);
    return true;
  });
}

function mergeNextSteps(steps: NextStep[]): NextStep[] {
  const kept = dedupeStatements(steps);
  // A duplicate may know what the kept wording does not (who owns it, by when).
  return kept.map((step) => {
    const same = steps.filter(
      (s) =>
        normalize(s.text) === normalize(step.text) || evidenceKey(s.evidence) === evidenceKey(step.evidence),
    );
    return {
      ...step,
      owner: step.owner ?? same.find((s) => s.owner)?.owner ?? null,
      dueDate: step.dueDate ?? same.find((s) => s.dueDate)?.dueDate ?? null,
      // Urgency said in one chunk holds for the step wherever else it is repeated.
      priority: NEXT_STEP_PRIORITIES.find((p) => same.some((s) => s.priority === p)) ?? step.priority,
    };
  });
}

function mergeMeddpicc(parts: Meddpicc[]): Meddpicc {
  const merged = { ...parts[0]! };
  for (const key of MEDDPICC_KEYS) merged[key] = dedupeStatements(parts.flatMap((p) => p[key]));
  return merged;
}

/** Roles that say more about someone's power over the deal win over vaguer ones. */
const ROLE_WEIGHT: Record<StakeholderRole, number> = {
  economic_buyer: 8,
  decision_maker: 7,
  champion: 6,
  blocker: 5,
  technical_evaluator: 4,
  procurement_legal: 3,
  influencer: 2,
  user: 1,
};

function richness(s: Stakeholder): number {
  return (s.title ? 10 + s.title.length / 100 : 0) + (s.role ? ROLE_WEIGHT[s.role] : 0);
}

/**
 * People by name. A first name alone ("Dana") joins the one full name it starts ("Dana Whitfield"),
 * because a later chunk often uses only the first name. The richest mention is kept, and the
 * longest title and the weightiest role any mention gave are filled in.
 */
function mergeStakeholders(people: Stakeholder[]): Stakeholder[] {
  const fullNames = people.map((p) => normalize(p.name)).filter((n) => n.includes(' '));
  const canonical = (name: string): string => {
    const n = normalize(name);
    if (n.includes(' ')) return n;
    const matches = [...new Set(fullNames.filter((f) => f.split(' ')[0] === n))];
    return matches.length === 1 ? matches[0]! : n;
  };
  const groups = new Map<string, Stakeholder[]>();
  for (const person of people) {
    const key = canonical(person.name);
    groups.set(key, [...(groups.get(key) ?? []), person]);
  }
  return [...groups.values()].map((group) => {
    const richest = group.reduce((best, p) => (richness(p) > richness(best) ? p : best));
    const fullest = group.reduce((best, p) => (p.name.length > best.name.length ? p : best));
    const title = group.reduce<string | null>(
      (t, p) => (p.title && p.title.length > (t?.length ?? 0) ? p.title : t),
      null,
    );
    const role = group.reduce<StakeholderRole | null>(
      (r, p) => (p.role && (!r || ROLE_WEIGHT[p.role] > ROLE_WEIGHT[r]) ? p.role : r),
      null,
    );
    return { ...richest, name: fullest.name, title, role };
  });
}

/**
 * Two or three sentences from the chunks' own summaries: how the conversation opened and how it
 * ended, since the end is where outcomes and commitments are usually stated.
 */
function mergeSummaries(summaries: string[]): string {
  const firsts = summaries.map((s) => s.trim().split(/(?<=[.!?])\s+/)[0] ?? '').filter((s) => s.length > 0);
  const unique = dedupeBy(firsts, normalize);
  const picked = unique.length <= 3 ? unique : [unique[0]!, ...unique.slice(-2)];
  if (picked.length === 1) return summaries.find((s) => s.trim())?.trim() ?? '';
  return picked.join(' ');
}
