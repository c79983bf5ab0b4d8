import type { Insights } from '../src/domain/insights/schema.js';
import type { ExpectedCase } from './cases.js';
import {
  addCounts,
  checkEvidence,
  matchCompetitors,
  matchContactDetails,
  CONTACT_KINDS,
  type ContactDetailScore,
  type ContactKind,
  matchNextSteps,
  matchStakeholders,
  scoreBudget,
  scoreFacts,
  scoreTimelineDate,
  stageCorrect,
  stageOrStay,
  zeroCounts,
  type Counts,
  type EvidenceCheck,
  type FactsScore,
  type Money,
  type NextStepScore,
  type Pairing,
  type PersonLike,
  type Ratio,
  type StageCall,
  type StakeholderScore,
  type StepLike,
} from './metrics.js';

/** How one extractor output compares with one case's labels. Pure: the runner does the reading and timing. */
export interface CaseScore {
  competitors: Pairing<string, string>;
  stakeholders: StakeholderScore;
  budget: { counts: Counts; expected: Money | null; predicted: Money | null };
  timeline: { counts: Counts; expected: string | null; predicted: string | null };
  stage: { correct: boolean; expected: StageCall; predicted: StageCall };
  nextSteps: NextStepScore;
  evidence: EvidenceCheck;
  /** Null when the case has no contact-detail labels. */
  contactDetails: ContactDetailScore | null;
  /** Null for a case not labelled with company and deal facts. */
  facts: FactsScore | null;
}

export function scoreCase(expected: ExpectedCase, output: Insights | null, text: string): CaseScore {
  const predictedPeople: PersonLike[] = (output?.stakeholders ?? []).map((s) => ({
    name: s.name,
    affiliation: s.affiliation,
    role: s.role,
  }));
  const budgetPredicted = output?.budget
    ? {
        amount: output.budget.amount,
        currency: output.budget.currency,
        range: output.budget.range
          ? { low: output.budget.range.low.amount, high: output.budget.range.high.amount }
          : null,
      }
    : null;
  const timelinePredicted = output?.timeline?.date ?? null;
  const timelineExpected = expected.timeline?.date ?? null;
  const stagePredicted = output
    ? stageOrStay(output.stageSuggestion, expected.currentStage)
    : { to: null, direction: 'error' };
  return {
    competitors: matchCompetitors(
      expected.competitors,
      (output?.competitors ?? []).map((c) => c.name),
    ),
    stakeholders: matchStakeholders(expected.stakeholders, predictedPeople),
    budget: {
      counts: scoreBudget(expected.budget, budgetPredicted),
      expected: expected.budget,
      predicted: budgetPredicted,
    },
    timeline: {
      counts: scoreTimelineDate(timelineExpected, timelinePredicted),
      expected: timelineExpected,
      predicted: timelinePredicted,
    },
    stage: {
      correct: stageCorrect(expected.stage, stagePredicted),
      expected: expected.stage,
      predicted: stagePredicted,
    },
    nextSteps: matchNextSteps(
      expected.nextSteps.map((s) => ({ owner: s.owner, dueDate: s.dueDate, priority: s.priority ?? null })),
      (output?.nextSteps ?? []).map((s) => ({ owner: s.owner, dueDate: s.dueDate, priority: s.priority })),
    ),
    evidence: output ? checkEvidence(text, output) : { correct: 0, total: 0, failures: [] },
    contactDetails: expected.contactDetails
      ? matchContactDetails(expected.contactDetails, output?.contactDetails ?? [])
      : null,
    facts: expected.facts
      ? scoreFacts(expected.facts, {
          employees: output?.employeeCount?.count ?? null,
          revenue: output?.annualRevenue
            ? { amount: output.annualRevenue.amount, currency: output.annualRevenue.currency }
            : null,
          techStack: (output?.techStack ?? []).map((t) => t.name),
          users: output?.seatCount?.count ?? null,
          useCase: output?.useCase
            ? { text: output.useCase.text, quote: output.useCase.evidence.quote }
            : null,
          decisionTimeline: output?.decisionTimeline ? { date: output.decisionTimeline.date } : null,
        })
      : null,
  };
}

export interface Totals {
  cases: number;
  competitors: Counts;
  stakeholders: Counts;
  affiliation: Ratio;
  role: Ratio;
  budget: Counts;
  timeline: Counts;
  nextSteps: Counts;
  dueDate: Ratio;
  owner: Ratio;
  priority: Ratio;
  stage: Ratio;
  evidence: Ratio;
  /** Over the cases labelled with contact details only (contactCases of them). */
  contactDetails: Record<ContactKind, Counts>;
  contactCases: number;
  facts: FactsTotals;
}

/** Company and deal facts, over the cases labelled with them. */
export interface FactsTotals {
  cases: number;
  employees: Counts;
  revenue: Counts;
  techStack: Counts;
  users: Counts;
  useCase: Counts;
  decisionTimeline: Counts;
}

const addRatio = (into: Ratio, more: Ratio) => {
  into.correct += more.correct;
  into.total += more.total;
};

/** Micro-averaged over cases: counts are summed before any rate is taken. */
export function totalsOf(scores: CaseScore[]): Totals {
  const t: Totals = {
    cases: scores.length,
    competitors: zeroCounts(),
    stakeholders: zeroCounts(),
    affiliation: { correct: 0, total: 0 },
    role: { correct: 0, total: 0 },
    budget: zeroCounts(),
    timeline: zeroCounts(),
    nextSteps: zeroCounts(),
    dueDate: { correct: 0, total: 0 },
    owner: { correct: 0, total: 0 },
    priority: { correct: 0, total: 0 },
    stage: { correct: 0, total: 0 },
    evidence: { correct: 0, total: 0 },
    contactDetails: Object.fromEntries(
      CONTACT_KINDS.map((k) => [k, zeroCounts()]),
    ) as Totals['contactDetails'],
    contactCases: 0,
    facts: {
      cases: 0,
      employees: zeroCounts(),
      revenue: zeroCounts(),
      techStack: zeroCounts(),
      users: zeroCounts(),
      useCase: zeroCounts(),
      decisionTimeline: zeroCounts(),
    },
  };
  for (const s of scores) {
    if (s.contactDetails) {
      t.contactCases++;
      for (const kind of CONTACT_KINDS) {
        const d = s.contactDetails[kind];
        addCounts(t.contactDetails[kind], { tp: d.pairs.length, fp: d.extra.length, fn: d.missing.length });
      }
    }
    if (s.facts) {
      const f = s.facts;
      t.facts.cases++;
      addCounts(t.facts.employees, f.employees);
      addCounts(t.facts.revenue, f.revenue);
      addCounts(t.facts.techStack, {
        tp: f.techStack.pairs.length,
        fp: f.techStack.extra.length,
        fn: f.techStack.missing.length,
      });
      addCounts(t.facts.users, f.users);
      addCounts(t.facts.useCase, f.useCase);
      addCounts(t.facts.decisionTimeline, f.decisionTimeline);
    }
    const c = s.competitors;
    addCounts(t.competitors, { tp: c.pairs.length, fp: c.extra.length, fn: c.missing.length });
    const p = s.stakeholders.pairing;
    addCounts(t.stakeholders, { tp: p.pairs.length, fp: p.extra.length, fn: p.missing.length });
    addRatio(t.affiliation, s.stakeholders.affiliation);
    addRatio(t.role, s.stakeholders.role);
    addCounts(t.budget, s.budget.counts);
    addCounts(t.timeline, s.timeline.counts);
    const n = s.nextSteps.pairing;
    addCounts(t.nextSteps, { tp: n.pairs.length, fp: n.extra.length, fn: n.missing.length });
    addRatio(t.dueDate, s.nextSteps.dueDate);
    addRatio(t.owner, s.nextSteps.owner);
    addRatio(t.priority, s.nextSteps.priority);
    addRatio(t.stage, { correct: s.stage.correct ? 1 : 0, total: 1 });
    addRatio(t.evidence, s.evidence);
  }
  return t;
}

// ---------------------------------------------------------------- what went wrong, in words

const list = (items: string[]) => `[${items.join(', ')}]`;
const person = (p: PersonLike) => `${p.name} (${p.affiliation ?? '?'}${p.role ? `, ${p.role}` : ''})`;
const money = (m: Money | null) =>
  m ? `${m.range ? `${m.range.low}-${m.range.high} (${m.amount})` : m.amount} ${m.currency}` : 'none';
const stage = (s: StageCall) => `${s.direction} -> ${s.to ?? 'no stage'}`;
const step = (s: StepLike) => `${s.owner ?? 'no owner'} due ${s.dueDate ?? 'no date'}`;

/** One line per field that differs from the labels; empty when the case is fully right. */
export function describeFailures(score: CaseScore): string[] {
  const out: string[] = [];
  const c = score.competitors;
  if (c.missing.length || c.extra.length) {
    out.push(`competitors: missed ${list(c.missing)}, invented ${list(c.extra)}`);
  }
  const s = score.stakeholders;
  if (s.pairing.missing.length || s.pairing.extra.length) {
    out.push(
      `stakeholders: missed ${list(s.pairing.missing.map(person))}, invented ${list(s.pairing.extra.map(person))}`,
    );
  }
  for (const { expected: e, predicted: p } of s.pairing.pairs) {
    const wrongSide = e.affiliation !== p.affiliation;
    const wrongRole = e.role !== null && e.role !== p.role;
    if (wrongSide || wrongRole) out.push(`stakeholder ${e.name}: expected ${person(e)}, got ${person(p)}`);
  }
  if (score.budget.counts.fp || score.budget.counts.fn) {
    out.push(`budget: expected ${money(score.budget.expected)}, got ${money(score.budget.predicted)}`);
  }
  if (score.timeline.counts.fp || score.timeline.counts.fn) {
    out.push(
      `timeline: expected ${score.timeline.expected ?? 'none'}, got ${score.timeline.predicted ?? 'none'}`,
    );
  }
  if (!score.stage.correct) {
    out.push(`stage: expected ${stage(score.stage.expected)}, got ${stage(score.stage.predicted)}`);
  }
  const n = score.nextSteps;
  if (n.pairing.missing.length || n.pairing.extra.length) {
    out.push(
      `next steps: expected ${n.pairing.pairs.length + n.pairing.missing.length}, got ${n.pairing.pairs.length + n.pairing.extra.length}; missed ${list(n.pairing.missing.map(step))}, extra ${list(n.pairing.extra.map(step))}`,
    );
  }
  for (const { expected: e, predicted: p } of n.pairing.pairs) {
    if (e.dueDate !== p.dueDate) out.push(`next step due date: expected ${step(e)}, got ${step(p)}`);
    if (e.priority && e.priority !== p.priority)
      out.push(`next step priority: expected ${e.priority} for ${step(e)}, got ${p.priority ?? 'none'}`);
  }
  for (const kind of score.contactDetails ? CONTACT_KINDS : []) {
    const d = score.contactDetails![kind];
    const said = (x: { person: string; value: string }) => `${x.person}: ${x.value}`;
    if (d.missing.length || d.extra.length)
      out.push(`contact ${kind}: missed ${list(d.missing.map(said))}, invented ${list(d.extra.map(said))}`);
  }
  if (score.facts) out.push(...describeFactFailures(score.facts));
  for (const f of score.evidence.failures) {
    out.push(`evidence not verbatim: ${JSON.stringify(f.quote)} at ${String(f.start)}..${String(f.end)}`);
  }
  return out;
}

function describeFactFailures(f: FactsScore): string[] {
  const out: string[] = [];
  const wrong = (c: Counts) => c.fp > 0 || c.fn > 0;
  const value = (v: unknown) => (v === null ? 'none' : typeof v === 'object' ? JSON.stringify(v) : String(v));
  const e = f.expected;
  const p = f.predicted;
  if (wrong(f.employees)) out.push(`employees: expected ${value(e.employees)}, got ${value(p.employees)}`);
  if (wrong(f.revenue)) out.push(`revenue: expected ${money(e.revenue)}, got ${money(p.revenue)}`);
  if (f.techStack.missing.length || f.techStack.extra.length)
    out.push(`tech stack: missed ${list(f.techStack.missing)}, invented ${list(f.techStack.extra)}`);
  if (wrong(f.users)) out.push(`users: expected ${value(e.users)}, got ${value(p.users)}`);
  if (wrong(f.useCase))
    out.push(`use case: expected ${value(e.useCase)}, got ${value(p.useCase?.quote ?? null)}`);
  if (wrong(f.decisionTimeline))
    out.push(`decision timeline: expected ${value(e.decisionTimeline)}, got ${value(p.decisionTimeline)}`);
  return out;
}
