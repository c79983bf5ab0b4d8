import type { Evidence, StageSuggestion } from '../insights/schema.js';
import type { DraftInsights } from '../extraction/draft.js';
import type { InsightRef, StageDefinition, StageRules } from './stage-rules.js';
import { findStage } from './stage-rules.js';
import type { CompetitorMention, SignalHit } from './signal-matcher.js';
import { matchSignals, prepareSentences } from './signal-matcher.js';
import type { Sentence } from '../text/sentences.js';

/**
 * Stage intelligence from the stage definitions in custom metadata:
 * - a reported outcome (signed; chose another vendor) suggests the closed stage, never applied alone;
 * - regression evidence suggests going back to the stage whose backward signals it matches;
 * - otherwise the furthest open stage whose entry evidence is present, only beyond the current one.
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
      return role('economic_buyer') ?? m.economicBuyer[0]?.evidence ?? null;
    case 'decision_maker':
      return role('decision_maker');
    case 'champion':
      return role('champion') ?? m.champion[0]?.evidence ?? null;
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

interface StageEvidence {
  stage: StageDefinition;
  hits: SignalHit[];
}

function describe(hits: SignalHit[], stage: StageDefinition, kind: string): string[] {
  return hits.map((h) => `${h.signal} (${stage.stageName} ${kind})`);
}

function suggestion(
  from: string | null,
  to: StageDefinition,
  direction: StageSuggestion['direction'],
  hits: SignalHit[],
  kind: string,
): StageSuggestion {
  const evidence: Evidence[] = [];
  for (const h of hits) if (!evidence.some((e) => e.start === h.evidence.start)) evidence.push(h.evidence);
  return { from, to: to.stageName, direction, reasons: describe(hits, to, kind), evidence };
}

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
  const entry: StageEvidence[] = rules.stages.map((stage) => {
    const hits = match(stage, 'entrySignals');
    if (!stage.isClosed) {
      // Leaving the previous open stage is evidence of reaching this one.
      const previous = openStages[openStages.indexOf(stage) - 1];
      if (previous) hits.push(...match(previous, 'exitSignals'));
    }
    return { stage, hits };
  });

  // 1. Reported outcomes. When both appear, the later statement is the news.
  const closed = entry
    .filter((e) => e.stage.isClosed && e.hits.length > 0)
    .sort((a, b) => lastStart(b.hits) - lastStart(a.hits));
  if (closed[0]) return suggestion(from, closed[0].stage, 'forward', closed[0].hits, 'reported');

  const furthest = entry
    .filter(
      (e) => !e.stage.isClosed && e.hits.length > 0 && (!current || e.stage.sortOrder > current.sortOrder),
    )
    .pop();

  // 2. Regression, to the earliest stage whose backward signals appear before the current one. When
  // we do not know where the deal stands, progress evidence places it and regression only speaks
  // when there is none.
  if (current || !furthest) {
    for (const stage of openStages) {
      if (current && stage.sortOrder >= current.sortOrder) break;
      const hits = match(stage, 'backwardSignals');
      if (hits.length > 0) return suggestion(from, stage, 'backward', hits, 'backward signal');
    }
  }

  // 3. Progress: the furthest open stage with entry evidence, beyond the current one.
  if (furthest) return suggestion(from, furthest.stage, 'forward', furthest.hits, 'entry signal');

  // 4. A stage the extractor proposed itself (a model), when the rules know it and it moves forward.
  const proposed = insights.proposedStage ? findStage(rules, insights.proposedStage.to) : undefined;
  if (proposed && !proposed.isClosed && (!current || proposed.sortOrder > current.sortOrder)) {
    return {
      from,
      to: proposed.stageName,
      direction: 'forward',
      reasons: insights.proposedStage!.reasons.map((r) => `${r} (model)`),
      evidence: insights.proposedStage!.evidence,
    };
  }
  return stay();
}

function lastStart(hits: SignalHit[]): number {
  return Math.max(...hits.map((h) => h.evidence.start));
}
