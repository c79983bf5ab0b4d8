import { NO_DAY } from '../pipeline/pipeline-columns.js';
import { isoDay } from '../hygiene/calendar-days.js';
import { FINDING_ORDER, type ColumnHygiene } from '../hygiene/column-hygiene.js';
import { evidenceAt } from '../hygiene/column-evidence.js';
import { RECOMMENDED_ACTIONS } from '../risk/risk-rules.js';
import type { ActionTiming } from '../settings/pipeline-thresholds.js';
import { AmountScale, NO_OWNER, type NextBestAction, type RepQueue } from './next-best-action.js';

/**
 * The next-best-action queue over columns, ranked exactly as next-best-action.ts ranks it (see the
 * blend there): priorities, the chosen actions and the order come from typed arrays; only the deals
 * that get an action are turned into words, each quoting one finding's evidence read off the columns.
 */

export function columnActionQueues(
  hygiene: ColumnHygiene,
  flags: Uint16Array,
  lastTouchDay: Int32Array,
  scores: Uint8Array,
  formatMoney: (amount: number) => string,
  timing: ActionTiming,
): RepQueue[] {
  const view = hygiene.view;
  const src = view.source;
  const pool = src.strings;
  const asOf = view.asOfDay;
  const rules = hygiene.rules.risk.bySignal;
  // Each rule's action (its place in RECOMMENDED_ACTIONS) and weight, by finding bit.
  const actionOfBit = FINDING_ORDER.map((s) => {
    const rule = rules.get(s);
    return rule ? RECOMMENDED_ACTIONS.indexOf(rule.recommendedAction) : -1;
  });
  const weightOfBit = FINDING_ORDER.map((s) => rules.get(s)?.weight ?? 0);

  const amounts: number[] = [];
  for (let k = 0; k < view.count; k++) {
    const amount = view.amount[k]!;
    if (!view.isClosed[k] && Number.isFinite(amount)) amounts.push(amount);
  }
  const scale = new AmountScale(amounts);

  const chosen = new Int8Array(view.count).fill(-1);
  const priority = new Float64Array(view.count);
  const due = new Float64Array(view.count);
  const share = new Float64Array(view.count);
  const picked: number[] = [];
  const weights = new Float64Array(RECOMMENDED_ACTIONS.length);
  const present = new Uint8Array(RECOMMENDED_ACTIONS.length);
  for (let k = 0; k < view.count; k++) {
    if (view.isClosed[k]) continue;
    const stepDay = view.nextStepDay[k]!;
    const dueIn = stepDay === NO_DAY ? null : stepDay - asOf;
    const dueFactor =
      dueIn === null ? 0 : dueIn <= timing.dueSoonDays ? 1 : dueIn <= timing.dueThisWeekDays ? 0.5 : 0;
    const met = flags[k]!;
    let action = -1;
    if (met !== 0) {
      for (let a = 0; a < RECOMMENDED_ACTIONS.length; a++) weights[a] = present[a] = 0;
      for (let b = 0; b < FINDING_ORDER.length; b++) {
        if (!(met & (1 << b))) continue;
        weights[actionOfBit[b]!]! += weightOfBit[b]!;
        present[actionOfBit[b]!] = 1;
      }
      let best = -Infinity;
      for (let a = 0; a < RECOMMENDED_ACTIONS.length; a++) {
        if (present[a] && weights[a]! > best) {
          best = weights[a]!;
          action = a;
        }
      }
    }
    if (action < 0 && dueFactor === 1) action = RECOMMENDED_ACTIONS.indexOf('Follow Up');
    if (action < 0) continue;
    const amount = view.amount[k]!;
    const valueShare = scale.percentile(Number.isNaN(amount) ? null : amount);
    const touch = lastTouchDay[k]!;
    const silenceFactor =
      touch === NO_DAY ? 0 : Math.min(Math.max(asOf - touch, 0) / timing.fullSilenceDays, 1);
    chosen[k] = action;
    due[k] = dueFactor;
    share[k] = valueShare;
    priority[k] =
      Math.round(
        1000 * (0.45 * (scores[k]! / 100) + 0.3 * valueShare + 0.15 * silenceFactor + 0.1 * dueFactor),
      ) / 10;
    picked.push(k);
  }

  const idOf = (k: number) => src.ids.value(src.opportunities.id[view.row[k]!]!)!;
  const amountOr = Float64Array.from(view.amount.subarray(0, view.count), (a) =>
    Number.isNaN(a) ? -Infinity : a,
  );
  picked.sort((a, b) => {
    const byPriority = priority[b]! - priority[a]! || amountOr[b]! - amountOr[a]!;
    if (byPriority) return byPriority;
    const ca = view.closeDay[a]!;
    const cb = view.closeDay[b]!;
    if (ca !== cb) return ca === NO_DAY ? 1 : cb === NO_DAY ? -1 : ca - cb;
    const ia = idOf(a);
    const ib = idOf(b);
    return ia < ib ? -1 : ia > ib ? 1 : 0;
  });

  // What each rule adds to a why and to the rules list, worded once rather than once a deal.
  const labelOfBit = FINDING_ORDER.map((sig) => {
    const rule = rules.get(sig);
    return rule ? `${rule.label} +${rule.weight}` : '';
  });
  const ruleOfBit = FINDING_ORDER.map((sig) => `Risk_Rule__mdt.${rules.get(sig)?.developerName}`);
  const silentBits = (1 << FINDING_ORDER.indexOf('Stale')) | (1 << FINDING_ORDER.indexOf('Zombie'));
  const o = src.opportunities;
  const queues = new Map<string, NextBestAction[]>();
  for (const k of picked) {
    const i = view.row[k]!;
    const met = flags[k]!;
    let because = 0;
    let firstBit = -1;
    const labels: string[] = [];
    const ruleNames: string[] = [];
    for (let b = 0; b < FINDING_ORDER.length; b++) {
      if (!(met & (1 << b)) || actionOfBit[b] !== chosen[k]) continue;
      because |= 1 << b;
      if (firstBit < 0) firstBit = b;
      labels.push(labelOfBit[b]!);
      ruleNames.push(ruleOfBit[b]!);
    }
    const reasons: string[] = [];
    if (firstBit >= 0) {
      reasons.push(`Risk ${scores[k]}/100 (${labels.join(', ')})`);
      const evidence = evidenceAt(hygiene, k, FINDING_ORDER[firstBit]!);
      reasons.push(evidence.endsWith('.') ? evidence.slice(0, -1) : evidence);
    }
    const amount = view.amount[k]!;
    const worth = Number.isNaN(amount)
      ? 'no amount on the deal (ranked as a median deal)'
      : `${formatMoney(amount)}, larger than ${Math.round(share[k]! * 100)}% of open deals`;
    reasons.push(reasons.length === 0 ? worth.charAt(0).toUpperCase() + worth.slice(1) : worth);
    const touch = lastTouchDay[k]!;
    if (touch !== NO_DAY && (because & silentBits) === 0) {
      reasons.push(`last touch ${asOf - touch} days ago (${isoDay(touch)})`);
    }
    const stepDay = view.nextStepDay[k]!;
    const stepDate = stepDay === NO_DAY ? null : isoDay(stepDay);
    if (stepDay !== NO_DAY && due[k]! > 0) {
      const dueIn = stepDay - asOf;
      const nextStep = pool.value(view.nextStep[k]!);
      const step = nextStep ? `"${nextStep}"` : 'the next step';
      reasons.push(
        dueIn < 0
          ? `${step} was due ${-dueIn} days ago (${stepDate})`
          : `${step} is due ${dueIn === 0 ? 'today' : `in ${dueIn} days`} (${stepDate})`,
      );
    }
    const owner = pool.value(o.owner[i]!) ?? NO_OWNER;
    let queue = queues.get(owner);
    if (queue === undefined) queues.set(owner, (queue = []));
    queue.push({
      owner,
      rank: queue.length + 1,
      opportunityId: idOf(k),
      opportunityName: pool.value(o.name[i]!),
      accountName: pool.value(o.accountName[i]!),
      action: RECOMMENDED_ACTIONS[chosen[k]!]!,
      priority: priority[k]!,
      why: reasons.join('; ') + '.',
      rules: ruleNames,
      dueDate: due[k]! > 0 ? stepDate : null,
    });
  }
  return [...queues.entries()]
    .sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
    .map(([owner, actions]) => ({ owner, actions }));
}
