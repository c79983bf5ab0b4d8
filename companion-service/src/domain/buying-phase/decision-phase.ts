import type { EngagementEvent } from '../pipeline/records.js';
import { kindWords, phraseMatches, type BuyingPhaseRule } from './phase-rules.js';

/**
 * The customer's decision phase, set by what the customer did rather than by the rep's stage: the
 * furthest phase (by sort order) whose behaviour was seen, with the events that show it. A deal with
 * no matching events has no phase: the rules were not met, and that is not guessed.
 */

export interface PhaseEvidence {
  date: string;
  kind: string;
  /** The behaviour label from the rule ("Pricing reviewed"). */
  behaviour: string;
}

export interface DecisionPhase {
  phase: string;
  sortOrder: number;
  /** The events that evidence this phase, newest first. */
  evidence: PhaseEvidence[];
  /** When the customer first showed this phase. */
  since: string;
}

/** Memoises kind → matched behaviour per rule set, since a pipeline repeats a few dozen kinds. */
export class PhaseMatcher {
  private readonly cache = new Map<string, { rule: BuyingPhaseRule; behaviour: string } | null>();

  constructor(private readonly rules: readonly BuyingPhaseRule[]) {}

  /** The furthest phase this kind of event evidences. */
  phaseOf(kind: string): { rule: BuyingPhaseRule; behaviour: string } | null {
    const cached = this.cache.get(kind);
    if (cached !== undefined) return cached;
    const words = kindWords(kind);
    let found: { rule: BuyingPhaseRule; behaviour: string } | null = null;
    for (let i = this.rules.length - 1; i >= 0 && !found; i--) {
      const rule = this.rules[i]!;
      for (const signal of rule.signals) {
        if (signal.patterns.some((p) => p.kind === 'phrase' && phraseMatches(p.tokens, words))) {
          found = { rule, behaviour: signal.label };
          break;
        }
      }
    }
    this.cache.set(kind, found);
    return found;
  }
}

/** `events` are one deal's engagement up to the as-of date, in any order. */
export function decisionPhase(
  events: readonly EngagementEvent[],
  matcher: PhaseMatcher,
): DecisionPhase | null {
  let best: BuyingPhaseRule | null = null;
  const byPhase = new Map<string, PhaseEvidence[]>();
  for (const event of events) {
    const hit = matcher.phaseOf(event.kind);
    if (!hit) continue;
    const list = byPhase.get(hit.rule.phase) ?? [];
    list.push({ date: event.date, kind: event.kind, behaviour: hit.behaviour });
    byPhase.set(hit.rule.phase, list);
    if (!best || hit.rule.sortOrder > best.sortOrder) best = hit.rule;
  }
  if (!best) return null;
  const evidence = byPhase
    .get(best.phase)!
    .sort((a, b) => b.date.localeCompare(a.date) || a.kind.localeCompare(b.kind));
  return {
    phase: best.phase,
    sortOrder: best.sortOrder,
    evidence,
    since: evidence[evidence.length - 1]!.date,
  };
}
