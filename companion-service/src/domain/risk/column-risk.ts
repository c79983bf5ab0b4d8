import type { RiskRules } from './risk-rules.js';
import { FINDING_ORDER } from '../hygiene/column-hygiene.js';
import type { ColumnsAsOf } from '../pipeline/columns-as-of.js';

/**
 * Risk scores over columns: the weights of the rules each deal meets, added in the order scoreRisk
 * lists its factors (heaviest first, then by signal) and capped at 100, so a score is the very
 * number deal-risk.ts gives. The weights are the Risk_Rule__mdt records' own.
 */

/** Per deal of the view: its score, 0-100 (0 for a closed deal, which meets no rule). */
export function riskScores(flags: Uint16Array, rules: RiskRules): Uint8Array {
  const weighed = [...rules.bySignal.values()]
    .sort((a, b) => b.weight - a.weight || a.signal.localeCompare(b.signal))
    .map((rule) => ({ bit: 1 << FINDING_ORDER.indexOf(rule.signal), weight: rule.weight }));
  const scores = new Uint8Array(flags.length);
  for (let k = 0; k < flags.length; k++) {
    const met = flags[k]!;
    if (met === 0) continue;
    let total = 0;
    for (const { bit, weight } of weighed) if (met & bit) total += weight;
    scores[k] = Math.min(100, Math.round(total));
  }
  return scores;
}

/**
 * Each deal's score a week before, by deal of today's view: -1 where the deal was not open then
 * (riskTrend's null previous). The change is today's score minus this one.
 */
export function previousScores(
  today: ColumnsAsOf,
  weekAgo: ColumnsAsOf,
  weekAgoScores: Uint8Array,
): Int16Array {
  const before = new Int32Array(today.source.opportunities.count).fill(-1);
  for (let k = 0; k < weekAgo.count; k++) if (!weekAgo.isClosed[k]) before[weekAgo.row[k]!] = k;
  const previous = new Int16Array(today.count).fill(-1);
  for (let k = 0; k < today.count; k++) {
    const then = before[today.row[k]!]!;
    if (then >= 0) previous[k] = weekAgoScores[then]!;
  }
  return previous;
}
