import type { FieldUpdate, StageSuggestion } from './schema.js';
import type { FieldMapping } from './field-mapping.js';
import type { DraftInsights } from '../extraction/draft.js';
import { budgetText } from '../notes/notes-text.js';

/**
 * Proposed field values from insights, one per active field policy, each resting on its insight's
 * quote. Policies decide later whether a value is applied; here they only set the confidence floor
 * below which nothing is proposed at all.
 */
const DEFAULT_CONFIDENCE = {
  stage: 0.7,
  budget: 0.75,
  timeline: 0.7,
  nextStep: 0.7,
  seatCount: 0.75,
  competitors: 0.8,
  useCase: 0.6,
} as const;

/** Standard text fields Salesforce caps: NextStep holds 255 characters. */
const TEXT_LIMIT = 255;

function clip(text: string): string {
  return text.length <= TEXT_LIMIT ? text : text.slice(0, TEXT_LIMIT - 1) + '…';
}

function stageConfidence(stage: StageSuggestion): number {
  return Math.min(0.95, 0.6 + 0.1 * stage.evidence.length);
}

export function deriveFieldUpdates(
  insights: DraftInsights,
  stage: StageSuggestion | null,
  mappings: FieldMapping[],
): FieldUpdate[] {
  const updates: FieldUpdate[] = [];
  const conf = (key: keyof typeof DEFAULT_CONFIDENCE) => insights.confidence[key] ?? DEFAULT_CONFIDENCE[key];
  for (const m of mappings) {
    const base = { object: m.objectName, field: m.fieldName };
    let update: FieldUpdate | null = null;
    switch (m.insight) {
      case 'stage':
        if (stage && stage.direction !== 'none' && stage.to && stage.evidence[0]) {
          update = {
            ...base,
            value: stage.to,
            confidence: stageConfidence(stage),
            evidence: stage.evidence[0],
          };
        }
        break;
      case 'budget':
        if (insights.budget) {
          update = {
            ...base,
            value: insights.budget.amount,
            confidence: conf('budget'),
            evidence: insights.budget.evidence,
          };
        }
        break;
      case 'budgetRange':
        // A range is written as the rep would say it ("$50,000–$70,000"); the budget field takes its ceiling.
        if (insights.budget?.range) {
          update = {
            ...base,
            value: clip(budgetText(insights.budget)),
            confidence: conf('budget'),
            evidence: insights.budget.range.low.evidence,
          };
        }
        break;
      case 'timeline':
        if (insights.timeline?.date && insights.timelineIsDecision) {
          update = {
            ...base,
            value: insights.timeline.date,
            confidence: conf('timeline'),
            evidence: insights.timeline.evidence,
          };
        }
        break;
      case 'nextStep': {
        const first = insights.nextSteps[0];
        if (first) {
          const due = first.dueDate ? ` (by ${first.dueDate})` : '';
          const owner = first.owner ? `${first.owner}: ` : '';
          update = {
            ...base,
            value: clip(`${owner}${first.text}${due}`),
            confidence: conf('nextStep'),
            evidence: first.evidence,
          };
        }
        break;
      }
      case 'seatCount':
        if (insights.seatCount) {
          update = {
            ...base,
            value: insights.seatCount.count,
            confidence: conf('seatCount'),
            evidence: insights.seatCount.evidence,
          };
        }
        break;
      case 'competitors':
        if (insights.competitors[0]) {
          update = {
            ...base,
            value: clip([...new Set(insights.competitors.map((c) => c.name))].join('; ')),
            confidence: conf('competitors'),
            evidence: insights.competitors[0].evidence,
          };
        }
        break;
      case 'useCase':
        if (insights.useCase) {
          update = {
            ...base,
            value: clip(insights.useCase.text),
            confidence: conf('useCase'),
            evidence: insights.useCase.evidence,
          };
        }
        break;
      case 'employeeCount':
      case 'annualRevenue':
      case 'techStack':
      case 'decisionTimeline':
        update = factUpdate(m.insight, insights, base);
        break;
    }
    if (update && update.confidence >= m.minimumConfidence) updates.push(update);
  }
  return updates;
}

/** Company and deal facts carry the extractor's own confidence in each. */
function factUpdate(
  insight: 'employeeCount' | 'annualRevenue' | 'techStack' | 'decisionTimeline',
  insights: DraftInsights,
  base: { object: string; field: string },
): FieldUpdate | null {
  switch (insight) {
    case 'employeeCount': {
      const fact = insights.employeeCount;
      return fact
        ? { ...base, value: fact.count, confidence: fact.confidence, evidence: fact.evidence }
        : null;
    }
    case 'annualRevenue': {
      const fact = insights.annualRevenue;
      return fact
        ? { ...base, value: fact.amount, confidence: fact.confidence, evidence: fact.evidence }
        : null;
    }
    case 'techStack': {
      const stack = insights.techStack ?? [];
      if (stack.length === 0) return null;
      // One value for the list: the write-back merges it with what the field holds (Merge policy).
      return {
        ...base,
        value: [...new Set(stack.map((t) => t.name))].join('; '),
        confidence: Math.min(...stack.map((t) => t.confidence)),
        evidence: stack[0]!.evidence,
      };
    }
    case 'decisionTimeline': {
      const fact = insights.decisionTimeline;
      if (!fact) return null;
      const value = fact.date && !fact.text.includes(fact.date) ? `${fact.text} (${fact.date})` : fact.text;
      return { ...base, value: clip(value), confidence: fact.confidence, evidence: fact.evidence };
    }
  }
}
