import type { Evidence, StageSuggestion } from '../insights/schema.js';
import type { DraftInsights } from '../extraction/draft.js';
import type { InsightRef, StageDefinition, StageRules } from './stage-rules.js';
import { findStage } from './stage-rules.js';
import { forwardMove, missingCriteria, type StageEvidence } from './stage-path.js';
import type { CompetitorMention, SignalHit } from './signal-matcher.js';
import { matchSignals, prepareSentences } from './signal-matcher.js';
import type { Sentence } from '../text/sentences.js';

/**
 * Someone named by title or by how one addresses them: "our CFO", "the VP of Finance", "Dr. Rao", or
 * by a pronoun that stands for a person ("She signs anything over fifty thousand").
 * A team or a department ("our risk team", "legal", "IT") is not a person who signs.
 */
const NAMES_A_PERSON =
  /\b(?:CEO|CFO|COO|CTO|CIO|CISO|CRO|CMO|CPO|CDO|VP|SVP|EVP|GM)\b|\b(?:Dr|Mr|Mrs|Ms|Mx|Prof)\.?\s+\p{Lu}|\b(?:[Vv]ice [Pp]resident|[Pp]resident|[Dd]irector|[Hh]ead of|[Cc]hief|[Oo]wner|[Ff]ounder|[Cc]ontroller|[Tt]reasurer|[Mm]anaging [Pp]artner|[Bb]oard|[Dd]ean|[Ss]uperintendent)\b|\b(?:[Ss]he|[Hh]e)\b/u;

/**
 * Stage intelligence from the stage definitions in custom metadata, whose entry signals are each
 * stage's criteria:
 * - a loss reported (chose another vendor, not proceeding) suggests the lost stage from any stage,
 *   never applied alone (decide-fields.ts keeps closed stages to a person);
 * - regression evidence suggests going back to the stage whose backward signals it matches;
 * - otherwise progress, one step at a time (stage-path.ts): further than the next stage only to a
 *   stage whose every criterion is evidenced, so a signed order mentioned at Qualification moves the
 *   deal to the next stage, not to Closed Won, unless the conversation evidences the stages between;
 * - thin evidence suggests nothing: a move forward resting only on one-word signals said in passing
 *   in fewer sentences than the Default Scribe_Setting__mdt record's Weak_Signal_Mentions__c.
 */
export interface StageInput {
  rules: StageRules;
  /** The conversation's normalized text. */
  text?: string;
  currentStage: string | null;
  sentences: Sentence[];
  competitorMentions: CompetitorMention[];
  insights: DraftInsights;
}

export function insightEvidenceFor(insights: DraftInsights, ref: InsightRef): Evidence | null {
  const role = (r: string) =>
    insights.stakeholders.find((s) => s.role === r && s.affiliation === 'customer')?.evidence ?? null;
  // A buyer or champion is identified when someone is: "our risk team signed off on it" or "legal
  // usually reviews before anyone signs" names no one, so a statement counts only when it names a
  // person of the customer's side.
  const customerNames = insights.stakeholders
    .filter((s) => s.affiliation === 'customer')
    .flatMap((s) => [s.name, s.name.split(' ')[0]!])
    .filter((n) => n.length > 1)
    .map((n) => n.toLowerCase());
  const namesSomeone = (statements: { evidence: Evidence }[]) =>
    statements.find((st) => {
      const quote = st.evidence.quote;
      const lower = quote.toLowerCase();
      return customerNames.some((n) => lower.includes(n)) || NAMES_A_PERSON.test(quote);
    })?.evidence ?? null;
  const m = insights.meddpicc;
  switch (ref) {
    case 'budget':
      return insights.budget?.evidence ?? null;
    case 'timeline':
      return insights.timeline?.evidence ?? null;
    case 'identified_pain':
      return m.identifiedPain[0]?.evidence ?? null;
    case 'metrics':
      return m.metrics[0]?.evidence ?? null;
    case 'decision_criteria':
      return m.decisionCriteria[0]?.evidence ?? null;
    case 'decision_process':
      return m.decisionProcess[0]?.evidence ?? null;
    case 'paper_process':
      return m.paperProcess[0]?.evidence ?? null;
    case 'economic_buyer':
      return role('economic_buyer') ?? namesSomeone(m.economicBuyer);
    case 'decision_maker':
      return role('decision_maker');
    case 'champion':
      return role('champion') ?? namesSomeone(m.champion);
    case 'technical_evaluator':
      return role('technical_evaluator');
    case 'use_case':
      return insights.useCase?.evidence ?? null;
    case 'seat_count':
      return insights.seatCount?.evidence ?? null;
    case 'competitor':
      return insights.competitors[0]?.evidence ?? null;
    case 'next_step':
      return insights.nextSteps[0]?.evidence ?? null;
  }
}

function suggestion(
  from: string | null,
  to: StageDefinition,
  direction: StageSuggestion['direction'],
  hits: SignalHit[],
  reasons: string[],
): StageSuggestion {
  const evidence: Evidence[] = [];
  for (const h of hits) if (!evidence.some((e) => e.start === h.evidence.start)) evidence.push(h.evidence);
  return { from, to: to.stageName, direction, reasons, evidence };
}

const described = (hits: SignalHit[], stage: StageDefinition, kind: string) =>
  hits.map((h) => `${h.signal} (${stage.stageName} ${kind})`);

export function suggestStage(input: StageInput): StageSuggestion | null {
  const { rules, insights } = input;
  const current = input.currentStage ? (findStage(rules, input.currentStage) ?? null) : null;
  const from = current?.stageName ?? input.currentStage ?? null;
  const stay = (): StageSuggestion | null =>
    from ? { from, to: from, direction: 'none', reasons: [], evidence: [] } : null;
  if (current?.isClosed) return stay();

  const prepared = prepareSentences(input.sentences, input.competitorMentions, input.text);
  const evidenceOf = (ref: InsightRef) => insightEvidenceFor(insights, ref);
  const match = (stage: StageDefinition, which: 'entrySignals' | 'exitSignals' | 'backwardSignals') =>
    matchSignals(stage[which], prepared, (p) => evidenceOf(p.insight), {
      factualOnly: stage.isClosed,
      regression: which === 'backwardSignals',
      competitorMentions: input.competitorMentions,
    });

  const openStages = rules.stages.filter((s) => !s.isClosed);
  const evidence: StageEvidence[] = rules.stages.map((stage) => {
    const criteria = match(stage, 'entrySignals');
    // Leaving the previous open stage is evidence of reaching this one.
    const previous = stage.isClosed ? undefined : openStages[openStages.indexOf(stage) - 1];
    const arrived = previous ? match(previous, 'exitSignals') : [];
    return { stage, criteria, arrived, exited: match(stage, 'exitSignals') };
  });
  const hitsOf = (e: StageEvidence) => [...e.criteria, ...e.arrived];
  const thin = (hits: SignalHit[]) => isThin(hits, rules.weakSignalMentions);

  // 1. Reported outcomes. When both appear, the later statement is the news. A loss ends the deal
  // at any stage; a win is the last step of the path, so with a known stage it is progress (3).
  const outcome = evidence
    .filter((e) => e.stage.isClosed && e.criteria.length > 0)
    .sort((a, b) => lastStart(b.criteria) - lastStart(a.criteria))[0];
  if (outcome && (!current || !outcome.stage.isWon)) {
    if (thin(outcome.criteria)) return stay();
    return suggestion(from, outcome.stage, 'forward', outcome.criteria, [
      ...described(outcome.criteria, outcome.stage, 'reported'),
    ]);
  }

  const progress = (e: StageEvidence) =>
    hitsOf(e).length > 0 && (!e.stage.isClosed || (e.stage.isWon && e === outcome));
  const furthest = evidence
    .filter((e) => progress(e) && (!current || e.stage.sortOrder > current.sortOrder))
    .pop();

  // 2. Regression, to the earliest stage whose backward signals appear before the current one. When
  // we do not know where the deal stands, progress evidence places it and regression only speaks
  // when there is none.
  if (current || !furthest) {
    for (const stage of openStages) {
      if (current && stage.sortOrder >= current.sortOrder) break;
      const hits = match(stage, 'backwardSignals');
      // No thinness test here: a setback's one-word signals are verbs of the setback ("paused",
      // "resigned"), and the vetoes already drop them when negated, undone, old or about something else.
      if (hits.length > 0)
        return suggestion(from, stage, 'backward', hits, described(hits, stage, 'backward signal'));
    }
  }

  // 3. Progress.
  if (furthest) {
    if (!current)
      return suggestion(
        from,
        furthest.stage,
        'forward',
        hitsOf(furthest),
        described(hitsOf(furthest), furthest.stage, 'criterion met'),
      );
    const ahead = evidence.filter(
      (e) => e.stage.sortOrder > current.sortOrder && (!e.stage.isClosed || e === furthest),
    );
    const beyond = ahead.flatMap(hitsOf);
    if (thin(beyond)) return stay();
    const move = forwardMove(ahead);
    return suggestion(from, move.to, 'forward', move.hits, move.reasons);
  }

  // 4. A stage the extractor proposed itself (a model), when the rules know it and it moves forward:
  // past the next stage only when the rules find every criterion of the proposed one.
  const proposed = insights.proposedStage ? findStage(rules, insights.proposedStage.to) : undefined;
  if (proposed && !proposed.isClosed && (!current || proposed.sortOrder > current.sortOrder)) {
    const next = current ? openStages.find((s) => s.sortOrder > current.sortOrder) : undefined;
    const lacks = missingCriteria(evidence.find((e) => e.stage === proposed)!);
    const held = next && next !== proposed && lacks.length > 0 ? next : undefined;
    return {
      from,
      to: (held ?? proposed).stageName,
      direction: 'forward',
      reasons: [
        ...insights.proposedStage!.reasons.map((r) => `${r} (model)`),
        ...(held
          ? [
              `one step at a time: a move past ${held.stageName} needs every criterion of ${proposed.stageName}; not evidenced: ${lacks.join(', ')}`,
            ]
          : []),
      ],
      evidence: insights.proposedStage!.evidence,
    };
  }
  return stay();
}

function lastStart(hits: SignalHit[]): number {
  return Math.max(...hits.map((h) => h.evidence.start));
}

/** Only one-word signals, stated in fewer sentences than the setting asks for. */
function isThin(hits: SignalHit[], weakSignalMentions: number): boolean {
  if (hits.length === 0 || hits.some((h) => !h.weak)) return false;
  return new Set(hits.flatMap((h) => h.statedAt)).size < weakSignalMentions;
}
