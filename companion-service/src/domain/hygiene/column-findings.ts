import type {
  ConversationSignal,
  EngagementEvent,
  OpportunityChange,
  PipelineOpportunity,
} from '../pipeline/records.js';
import type { RiskSignal } from '../risk/risk-rules.js';
import { NO_DAY } from '../pipeline/pipeline-columns.js';
import type { ColumnsAsOf } from '../pipeline/columns-as-of.js';
import type { StringPool } from '../pipeline/string-pool.js';
import { isoDay } from './calendar-days.js';
import { dealFactsOf, NONE, touchDetail, type DealFacts, type TouchSource } from './deal-facts.js';
import { evaluateDeal, type DealSignals, type Finding } from './deal-signals.js';
import type { ColumnHygiene } from './column-hygiene.js';

/**
 * A deal of the column engines in words: its facts as the object engines build them, and its
 * findings with their evidence from evaluateDeal itself, so every sentence has one copy. Built for
 * the few deals a person reads, and for the one finding per deal the action queue quotes.
 */

/** Where a touch came from, by its place among the candidates deal-facts.ts considers. */
const TOUCH_SOURCES: readonly TouchSource[] = [
  'activity',
  'engagement',
  'conversation',
  'stage change',
  'stage change',
  'created',
];

/**
 * Deal `k` as the object engines see it: its record then and its rows dated up to the as-of date.
 */
export function dealFactsAt(hygiene: ColumnHygiene, k: number): DealFacts {
  const view = hygiene.view;
  const src = view.source;
  const i = view.row[k]!;
  const id = src.ids.value(src.opportunities.id[i]!)!;
  const h = src.history;
  const rows: OpportunityChange[] = [];
  for (let r = h.start[i]!; r < hygiene.historyCut[k]!; r++) {
    rows.push({
      opportunityId: id,
      date: isoDay(h.day[r]!),
      stage: src.strings.value(h.stage[r]!)!,
      amount: orNull(h.amount[r]!),
      closeDate: dateOrNull(h.closeDay[r]!),
      probability: orNull(h.probability[r]!),
      forecastCategory: src.strings.value(h.forecastCategory[r]!),
    });
  }
  const events: EngagementEvent[] = [];
  const e = src.engagement;
  for (let r = e.start[i]!; r < hygiene.engagementCut[k]!; r++) {
    events.push({
      opportunityId: id,
      date: isoDay(e.day[r]!),
      kind: src.strings.value(e.kind[r]!)!,
      contactId: null,
    });
  }
  const talks = talksOf(hygiene, k);
  return dealFactsOf(opportunityAt(view, k), rows, events, talks, hygiene.context);
}

/** Deal `k`'s findings with their evidence, exactly as evaluateDeal gives them. */
export function signalsAt(hygiene: ColumnHygiene, k: number): DealSignals {
  return evaluateDeal(dealFactsAt(hygiene, k), hygiene.index, hygiene.rules);
}

/**
 * The one finding of deal `k` for a rule it meets, in words. Worded by evaluateDeal over the
 * deal's facts read straight from the columns; evaluateDeal wording one signal reads neither the
 * history rows nor the engagement, so those are not built (the equivalence test holds it to that).
 */
export function findingAt(hygiene: ColumnHygiene, k: number, signal: RiskSignal): Finding {
  const { findings } = evaluateDeal(wordingFacts(hygiene, k), hygiene.index, hygiene.rules, {
    detail: signal,
  });
  return findings.find((f) => f.signal === signal)!;
}

function wordingFacts(hygiene: ColumnHygiene, k: number): DealFacts {
  const view = hygiene.view;
  const src = view.source;
  const s = src.strings;
  const h = src.history;
  const i = view.row[k]!;
  const from = h.start[i]!;
  const to = hygiene.historyCut[k]!;
  const slot = hygiene.slotOf[view.stage[k]!]!;
  const entered = hygiene.enteredDay(k, slot);
  const fromHistory = to > from && hygiene.slotOf[h.stage[to - 1]!] === slot;
  // The latest touch, the first considered winning a tie, as deal-facts.ts considers them; the
  // candidates in that order, each a day, where it came from and what it was.
  const asOf = view.asOfDay;
  const eTo = hygiene.engagementCut[k]!;
  const hasEvent = eTo > src.engagement.start[i]!;
  const talks = talksOf(hygiene, k);
  let change = -1;
  for (let r = to - 1; r >= from + 1 && change < 0; r--)
    if (hygiene.slotOf[h.stage[r]!] !== hygiene.slotOf[h.stage[r - 1]!]) change = r;
  const days = [
    view.lastActivityDay[k]!,
    hasEvent ? src.engagement.day[eTo - 1]! : NO_DAY,
    talks.length > 0 ? src.conversations.day[hygiene.conversationCut[k]! - 1]! : NO_DAY,
    change >= 0 ? h.day[change]! : NO_DAY,
    entered,
    src.opportunities.createdDay[i]!,
  ];
  let best = -1;
  for (let c = 0; c < days.length; c++) {
    const d = days[c]!;
    if (d !== NO_DAY && d <= asOf && (best < 0 || d > days[best]!)) best = c;
  }
  const day = best < 0 ? NO_DAY : days[best]!;
  const source = TOUCH_SOURCES[Math.max(best, 0)]!;
  const what =
    best === 1
      ? s.value(src.engagement.kind[eTo - 1]!)!
      : best === 3
        ? s.value(h.stage[change]!)!
        : best === 4
          ? s.value(view.stage[k]!)!
          : '';

  const closePushes: DealFacts['closePushes'] = [];
  let previous = NO_DAY;
  for (let r = from; r < to; r++) {
    const close = h.closeDay[r]!;
    if (close === NO_DAY) continue;
    if (previous !== NO_DAY && close > previous)
      closePushes.push({ on: isoDay(h.day[r]!), from: isoDay(previous), to: isoDay(close) });
    previous = close;
  }
  const skips: DealFacts['skips'] = [];
  const open = hygiene.context.openStages;
  for (let r = from + 1; r < to; r++) {
    const a = hygiene.slotOpen[hygiene.slotOf[h.stage[r - 1]!]!]!;
    const b = hygiene.slotOpen[hygiene.slotOf[h.stage[r]!]!]!;
    if (a < 0 || b < 0 || hygiene.skipped[a * open.length + b] === 0) continue;
    const low = open[a]!.sortOrder;
    const high = open[b]!.sortOrder;
    skips.push({
      on: isoDay(h.day[r]!),
      from: open[a]!.stageName,
      to: open[b]!.stageName,
      skipped: open.filter((x) => x.sortOrder > low && x.sortOrder < high).map((x) => x.stageName),
    });
  }
  return {
    opportunity: opportunityAt(view, k),
    history: NONE,
    engagement: NONE,
    conversations: talks,
    stage: hygiene.slotDef[slot]!,
    lastTouch: day === NO_DAY ? null : { date: isoDay(day), day, source, detail: touchDetail(source, what) },
    stageEntered:
      entered === NO_DAY ? null : { date: isoDay(entered), source: fromHistory ? 'history' : 'record' },
    daysInStage: entered === NO_DAY ? null : asOf - entered,
    closePushes,
    skips,
  };
}

function talksOf(hygiene: ColumnHygiene, k: number): ConversationSignal[] {
  const src = hygiene.view.source;
  const c = src.conversations;
  const i = hygiene.view.row[k]!;
  const id = src.ids.value(src.opportunities.id[i]!)!;
  const talks: ConversationSignal[] = [];
  for (let r = c.start[i]!; r < hygiene.conversationCut[k]!; r++) {
    talks.push({
      opportunityId: id,
      date: isoDay(c.day[r]!),
      competitors: namesIn(src.strings, c.competitorStart, c.competitor, r),
      pricingObjection: c.pricingObjection[r] === 1,
      customerSpeakers: namesIn(src.strings, c.speakerStart, c.speaker, r),
      champion: src.strings.value(c.champion[r]!),
    });
  }
  return talks;
}

function namesIn(pool: StringPool, start: Int32Array, values: Uint32Array, r: number): string[] {
  const out: string[] = [];
  for (let v = start[r]!; v < start[r + 1]!; v++) out.push(pool.value(values[v]!)!);
  return out;
}

const orNull = (x: number) => (Number.isNaN(x) ? null : x);
const dateOrNull = (d: number) => (d === NO_DAY ? null : isoDay(d));

/** Deal `k` of an as-of view as the record the object engines read (its extra columns are not kept). */
export function opportunityAt(view: ColumnsAsOf, k: number): PipelineOpportunity {
  const src = view.source;
  const o = src.opportunities;
  const s = src.strings;
  const i = view.row[k]!;
  return {
    id: src.ids.value(o.id[i]!)!,
    name: s.value(o.name[i]!),
    accountId: s.value(o.accountId[i]!),
    accountName: s.value(o.accountName[i]!),
    owner: s.value(o.owner[i]!),
    product: s.value(o.product[i]!),
    stage: s.value(view.stage[k]!)!,
    isClosed: view.isClosed[k] === 1,
    isWon: view.isWon[k] === 1,
    amount: orNull(view.amount[k]!),
    probability: orNull(view.probability[k]!),
    forecastCategory: s.value(view.forecastCategory[k]!),
    createdDate: dateOrNull(o.createdDay[i]!),
    closeDate: dateOrNull(view.closeDay[k]!),
    lastActivityDate: dateOrNull(view.lastActivityDay[k]!),
    stageEnteredDate: dateOrNull(view.stageEnteredDay[k]!),
    nextStep: s.value(view.nextStep[k]!),
    nextStepDate: dateOrNull(view.nextStepDay[k]!),
    contactRoleCount: orNull(o.contactRoleCount[i]!),
    extra: {},
  };
}
