import type { PipelineOpportunity } from '../pipeline/records.js';
import type { Finding } from '../hygiene/deal-signals.js';
import type { Touch } from '../hygiene/deal-facts.js';
import type { DecisionPhase } from '../buying-phase/decision-phase.js';
import type { RiskScore, RiskTrend } from '../risk/deal-risk.js';
import type { StageDefinition } from '../stages/stage-rules.js';
import { dayNumber } from '../hygiene/calendar-days.js';
import { dealHeader, type DealHeader } from './deal-header.js';
import type { ReviewBands } from '../settings/pipeline-thresholds.js';

/**
 * The weekly deal review a manager would otherwise ask every rep for: each open deal's status,
 * how confident to be in it and why, the three deals most worth the team's time this week, and the
 * deals to close out.
 */

export type DealStatus = 'Close out' | 'At risk' | 'Watch' | 'On track';

export interface Confidence {
  /** 0..1 */
  probability: number;
  basis: 'forecast model' | 'probability on the record' | 'stage default';
}

export interface DealReview extends DealHeader {
  status: DealStatus;
  confidence: Confidence | null;
  risk: number;
  trend: RiskTrend;
  /** The heaviest factors' evidence, at most three. */
  risks: string[];
  decisionPhase: DecisionPhase | null;
  lastTouch: Touch | null;
}

export interface FocusDeal {
  opportunityId: string;
  name: string | null;
  owner: string | null;
  why: string;
}

export interface CloseOutCandidate {
  opportunityId: string;
  name: string | null;
  owner: string | null;
  why: string;
}

export interface WeeklyReview {
  deals: DealReview[];
  focus: FocusDeal[];
  closeOut: CloseOutCandidate[];
}

export interface ReviewInput {
  opportunity: PipelineOpportunity;
  stage: StageDefinition | null;
  findings: readonly Finding[];
  risk: RiskScore;
  trend: RiskTrend;
  phase: DecisionPhase | null;
  lastTouch: Touch | null;
}

export function confidenceOf(
  o: PipelineOpportunity,
  stage: StageDefinition | null,
  modelProbability: number | undefined,
): Confidence | null {
  if (modelProbability !== undefined) return { probability: modelProbability, basis: 'forecast model' };
  if (o.probability !== null) return { probability: o.probability / 100, basis: 'probability on the record' };
  if (stage) return { probability: stage.defaultProbability / 100, basis: 'stage default' };
  return null;
}

export function weeklyReview(
  inputs: readonly ReviewInput[],
  asOf: string,
  formatMoney: (amount: number) => string,
  probabilities: ReadonlyMap<string, number> | null,
  medianAmount: number | null,
  bands: ReviewBands,
): WeeklyReview {
  const asOfDay = dayNumber(asOf)!;
  const inputById = new Map(inputs.map((i) => [i.opportunity.id, i]));
  const deals: DealReview[] = inputs.map((input) => {
    const o = input.opportunity;
    const closeOut = input.findings.some((f) => f.action === 'Close Out');
    return {
      ...dealHeader(o),
      status: closeOut
        ? 'Close out'
        : input.risk.score >= bands.atRisk
          ? 'At risk'
          : input.risk.score >= bands.watch
            ? 'Watch'
            : 'On track',
      confidence: confidenceOf(o, input.stage, probabilities?.get(o.id)),
      risk: input.risk.score,
      trend: input.trend,
      risks: input.risk.factors.slice(0, 3).map((f) => f.evidence),
      decisionPhase: input.phase,
      lastTouch: input.lastTouch,
    };
  });

  const focus = focusDeals(deals, formatMoney, medianAmount);
  const closeOut = closeOutCandidates(
    deals,
    (id) => inputById.get(id)!.findings.find((f) => f.action === 'Close Out')!.evidence,
    asOfDay,
  );
  return { deals, focus, closeOut };
}

/**
 * The three deals most worth the time this week, of any set of reviewed deals (a team's, one rep's).
 * Worth saving first: at-risk and watched deals by value at stake (amount x risk). When fewer than
 * three are, the largest close-out candidates follow (revive or close them), then the largest
 * healthy deals; the close date, then the id, break ties.
 */
export function focusDeals(
  deals: readonly DealReview[],
  formatMoney: (amount: number) => string,
  medianAmount: number | null,
): FocusDeal[] {
  const stake = (d: DealReview) => (d.amount ?? medianAmount ?? 0) * (d.risk / 100);
  const tier = (d: DealReview) =>
    d.status === 'At risk' || d.status === 'Watch' ? 0 : d.status === 'Close out' ? 1 : 2;
  return firstBy(
    deals,
    (a, b) =>
      tier(a) - tier(b) ||
      (tier(a) === 0
        ? stake(b) - stake(a)
        : (b.amount ?? medianAmount ?? 0) - (a.amount ?? medianAmount ?? 0)) ||
      (a.closeDate ?? '9999').localeCompare(b.closeDate ?? '9999') ||
      a.opportunityId.localeCompare(b.opportunityId),
    3,
  ).map((d) => {
    // `risks` are the heaviest factors' evidence, so the first is the deal's main risk.
    const top = d.risks[0];
    const worth = d.amount === null ? 'no amount on it' : `worth ${formatMoney(d.amount)}`;
    const closing = d.closeDate ? `, closing ${d.closeDate}` : '';
    const moved =
      d.trend.change !== null && d.trend.change !== 0
        ? `, ${d.trend.change > 0 ? 'up' : 'down'} ${Math.abs(d.trend.change)} this week`
        : '';
    return {
      opportunityId: d.opportunityId,
      name: d.name,
      owner: d.owner,
      why:
        `${capitalise(worth)}${closing}, risk ${d.risk}/100${moved}` +
        (d.status === 'Close out'
          ? `; revive it or close it: ${top}`
          : top
            ? `: ${top}`
            : ': no risk flagged, the largest open deal'),
    };
  });
}

/**
 * The deals to close out, of any set of reviewed deals: the longest untouched first. `reasonOf` gives
 * the evidence of the rule that proposes closing the deal out.
 */
export function closeOutCandidates(
  deals: readonly DealReview[],
  reasonOf: (opportunityId: string) => string,
  asOfDay: number,
): CloseOutCandidate[] {
  return deals
    .filter((d) => d.status === 'Close out')
    .sort(
      (a, b) =>
        (a.lastTouch?.day ?? asOfDay) - (b.lastTouch?.day ?? asOfDay) ||
        a.opportunityId.localeCompare(b.opportunityId),
    )
    .map((d) => ({
      opportunityId: d.opportunityId,
      name: d.name,
      owner: d.owner,
      why: reasonOf(d.opportunityId),
    }));
}

/** The first `k` items in `order`, in one pass: a review names a few deals of thousands. */
export function firstBy<T>(items: readonly T[], order: (a: T, b: T) => number, k: number): T[] {
  const top: T[] = [];
  for (const item of items) {
    if (top.length === k && order(item, top[k - 1]!) >= 0) continue;
    let at = top.length === k ? k - 1 : top.length;
    while (at > 0 && order(item, top[at - 1]!) < 0) {
      top[at] = top[at - 1]!;
      at--;
    }
    top[at] = item;
    if (top.length > k) top.length = k;
  }
  return top;
}
const capitalise = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);
