import type { PipelineOpportunity } from '../pipeline/records.js';
import type { Finding } from '../hygiene/deal-signals.js';
import type { Touch } from '../hygiene/deal-facts.js';
import { dayNumber } from '../hygiene/calendar-days.js';
import { RECOMMENDED_ACTIONS, type RecommendedAction } from '../risk/risk-rules.js';
import type { ActionTiming } from '../settings/pipeline-thresholds.js';

/**
 * The next-best-action queue: for each rep, one action per open deal that needs one, ranked by what
 * losing the deal would cost and how soon it needs a person. Priority, 0-100, blends
 *   risk (45%): the deal's risk score;
 *   value (30%): where its amount stands among the open deals (a percentile, so one huge deal does
 *     not flatten the rest; a deal without an amount counts as the median and says so);
 *   silence (15%): days since the last touch, full weight at the settings' Action Full Silence Days;
 *   due (10%): a next step due within Action Due Soon Days or overdue (half within Action Due This
 *     Week Days).
 * The action is the one the met rules ask for most (their weights added); a deal no rule flags gets
 * a follow-up only when its next step is due. Ties go to the larger amount, the earlier close date,
 * then the opportunity id, so the same pipeline always gives the same queue.
 */

export interface ActionCandidate {
  opportunity: PipelineOpportunity;
  findings: readonly Finding[];
  risk: number;
  lastTouch: Touch | null;
}

export interface NextBestAction {
  owner: string;
  rank: number;
  opportunityId: string;
  opportunityName: string | null;
  accountName: string | null;
  action: RecommendedAction;
  priority: number;
  why: string;
  /** The rules behind it (Risk_Rule__mdt.<Name>). */
  rules: string[];
  dueDate: string | null;
}

export interface RepQueue {
  owner: string;
  actions: NextBestAction[];
}

export const NO_OWNER = '(no owner)';

/** Sorted amounts of the open deals, to place any amount as a percentile in O(log n). */
export class AmountScale {
  private readonly sorted: Float64Array;

  constructor(amounts: Iterable<number | null>) {
    const known: number[] = [];
    for (const a of amounts) if (a !== null && Number.isFinite(a)) known.push(a);
    this.sorted = Float64Array.from(known).sort();
  }

  /** The share of open deals with a smaller amount, 0..1; null amounts sit at the median. */
  percentile(amount: number | null): number {
    if (amount === null || this.sorted.length === 0) return 0.5;
    let lo = 0;
    let hi = this.sorted.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.sorted[mid]! < amount) lo = mid + 1;
      else hi = mid;
    }
    return this.sorted.length === 1 ? 0.5 : lo / (this.sorted.length - 1);
  }

  get median(): number | null {
    return this.sorted.length === 0 ? null : this.sorted[this.sorted.length >> 1]!;
  }
}

function chooseAction(findings: readonly Finding[]): { action: RecommendedAction; rules: Finding[] } | null {
  const byAction = new Map<RecommendedAction, Finding[]>();
  for (const f of findings) byAction.set(f.action, [...(byAction.get(f.action) ?? []), f]);
  let best: { action: RecommendedAction; rules: Finding[]; weight: number } | null = null;
  for (const action of RECOMMENDED_ACTIONS) {
    const rules = byAction.get(action);
    if (!rules) continue;
    const weight = rules.reduce((sum, f) => sum + f.weight, 0);
    if (!best || weight > best.weight) best = { action, rules, weight };
  }
  return best && { action: best.action, rules: best.rules };
}

export function buildActionQueues(
  candidates: readonly ActionCandidate[],
  asOf: string,
  formatMoney: (amount: number) => string,
  timing: ActionTiming,
): RepQueue[] {
  const asOfDay = dayNumber(asOf)!;
  const scale = new AmountScale(candidates.map((c) => c.opportunity.amount));
  const actions: { action: NextBestAction; amount: number | null; closeDate: string | null }[] = [];
  for (const c of candidates) {
    const o = c.opportunity;
    if (o.isClosed) continue;
    const stepDay = dayNumber(o.nextStepDate);
    const dueIn = stepDay === null ? null : stepDay - asOfDay;
    const dueFactor =
      dueIn === null ? 0 : dueIn <= timing.dueSoonDays ? 1 : dueIn <= timing.dueThisWeekDays ? 0.5 : 0;
    let chosen = chooseAction(c.findings);
    if (!chosen && dueFactor === 1) chosen = { action: 'Follow Up', rules: [] };
    if (!chosen) continue;

    const valueShare = scale.percentile(o.amount);
    const silence = c.lastTouch ? asOfDay - c.lastTouch.day : null;
    const silenceFactor = silence === null ? 0 : Math.min(Math.max(silence, 0) / timing.fullSilenceDays, 1);
    const priority =
      Math.round(1000 * (0.45 * (c.risk / 100) + 0.3 * valueShare + 0.15 * silenceFactor + 0.1 * dueFactor)) /
      10;

    const reasons: string[] = [];
    if (chosen.rules.length > 0) {
      reasons.push(`risk ${c.risk}/100 (${chosen.rules.map((f) => `${f.label} +${f.weight}`).join(', ')})`);
      reasons.push(chosen.rules[0]!.evidence.replace(/\.$/, ''));
    }
    reasons.push(
      o.amount === null
        ? 'no amount on the deal (ranked as a median deal)'
        : `${formatMoney(o.amount)}, larger than ${Math.round(valueShare * 100)}% of open deals`,
    );
    if (silence !== null && chosen.rules.every((f) => f.signal !== 'Stale' && f.signal !== 'Zombie')) {
      reasons.push(`last touch ${silence} days ago (${c.lastTouch!.date})`);
    }
    if (dueIn !== null && dueFactor > 0) {
      const step = o.nextStep ? `"${o.nextStep}"` : 'the next step';
      reasons.push(
        dueIn < 0
          ? `${step} was due ${-dueIn} days ago (${o.nextStepDate})`
          : `${step} is due ${dueIn === 0 ? 'today' : `in ${dueIn} days`} (${o.nextStepDate})`,
      );
    }
    actions.push({
      action: {
        owner: o.owner ?? NO_OWNER,
        rank: 0,
        opportunityId: o.id,
        opportunityName: o.name,
        accountName: o.accountName,
        action: chosen.action,
        priority,
        why: capitalise(reasons.join('; ')) + '.',
        rules: chosen.rules.map((f) => f.rule),
        dueDate: dueFactor > 0 ? o.nextStepDate : null,
      },
      amount: o.amount,
      closeDate: o.closeDate,
    });
  }
  actions.sort(
    (a, b) =>
      b.action.priority - a.action.priority ||
      (b.amount ?? -Infinity) - (a.amount ?? -Infinity) ||
      compareNullableDates(a.closeDate, b.closeDate) ||
      (a.action.opportunityId < b.action.opportunityId
        ? -1
        : a.action.opportunityId > b.action.opportunityId
          ? 1
          : 0),
  );
  const queues = new Map<string, NextBestAction[]>();
  for (const { action } of actions) {
    const queue = queues.get(action.owner) ?? [];
    queue.push({ ...action, rank: queue.length + 1 });
    queues.set(action.owner, queue);
  }
  return [...queues.entries()]
    .sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
    .map(([owner, list]) => ({ owner, actions: list }));
}

const compareNullableDates = (a: string | null, b: string | null) =>
  a === b ? 0 : a === null ? 1 : b === null ? -1 : a < b ? -1 : 1;

const capitalise = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);
