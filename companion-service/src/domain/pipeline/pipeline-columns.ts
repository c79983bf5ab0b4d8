import type {
  ConversationSignal,
  EngagementEvent,
  OpportunityChange,
  OpportunityField,
  PipelineContact,
  PipelineDataset,
  PipelineOpportunity,
} from './records.js';
import { stageOutcomes, type StageOutcome } from './stage-outcomes.js';
import { GrowableColumn } from './growable-column.js';
import { StringPool } from './string-pool.js';
import { dayNumber } from '../hygiene/calendar-days.js';

/**
 * The pipeline held as columns: one typed array per field, strings interned to ids in one pool,
 * dates as day numbers, and the history, engagement and conversations grouped by opportunity (the
 * rows of opportunity `i` are `start[i]` up to `start[i + 1]`, oldest first). A hundred thousand
 * deals with a million history rows take tens of megabytes this way instead of a gigabyte of
 * objects, and every engine pass is a loop over numbers. The same data as a PipelineDataset gives
 * the same results from the column engines as from the object engines (the equivalence test).
 */

/** A date column's "no date" (null). */
export const NO_DAY = -2_147_483_648;

/** A history row's outcome: what its stage says about the deal. */
export const OPEN = 0;
export const WON = 1;
export const LOST = 2;

export interface OpportunityColumns {
  count: number;
  /** Opportunity ids, interned in {@link PipelineColumns.ids}. */
  id: Uint32Array;
  /** The rest of the strings are interned in {@link PipelineColumns.strings}. */
  name: Uint32Array;
  accountId: Uint32Array;
  accountName: Uint32Array;
  owner: Uint32Array;
  product: Uint32Array;
  stage: Uint32Array;
  forecastCategory: Uint32Array;
  nextStep: Uint32Array;
  isClosed: Uint8Array;
  isWon: Uint8Array;
  /** NaN is null. */
  amount: Float64Array;
  probability: Float64Array;
  contactRoleCount: Float64Array;
  createdDay: Int32Array;
  closeDay: Int32Array;
  lastActivityDay: Int32Array;
  stageEnteredDay: Int32Array;
  nextStepDay: Int32Array;
}

export interface HistoryColumns {
  start: Int32Array;
  day: Int32Array;
  stage: Uint32Array;
  amount: Float64Array;
  closeDay: Int32Array;
  probability: Float64Array;
  forecastCategory: Uint32Array;
  /** OPEN, WON or LOST, from the stage as stage-outcomes.ts reads it. */
  outcome: Uint8Array;
  /**
   * The rows in the order the deal facts read them (deal-facts.ts: by day, then as the data gave
   * them), as positions in the columns above, which hold the order of the as-of states (a closing
   * row after the open ones of its day). Null when the two orders are the same, as they nearly
   * always are: only a deal closed and reopened on one day, in the data's order, tells them apart.
   */
  factsOrder: Int32Array | null;
}

export interface EngagementColumns {
  start: Int32Array;
  day: Int32Array;
  kind: Uint32Array;
}

export interface ConversationColumns {
  start: Int32Array;
  day: Int32Array;
  pricingObjection: Uint8Array;
  /** NO_STRING when no champion was named (null or empty). */
  champion: Uint32Array;
  /** Conversation `c`'s competitors are `competitor[competitorStart[c]]` up to `competitorStart[c + 1]`. */
  competitorStart: Int32Array;
  competitor: Uint32Array;
  speakerStart: Int32Array;
  speaker: Uint32Array;
}

export interface PipelineColumns {
  strings: StringPool;
  ids: StringPool;
  opportunities: OpportunityColumns;
  history: HistoryColumns;
  engagement: EngagementColumns;
  conversations: ConversationColumns;
  /** Contacts stay records: the contact checks read them whole. */
  contacts: readonly PipelineContact[];
  knownFields: ReadonlySet<OpportunityField> | null;
  /** The latest date anywhere in the data (roughly the export's), as a day; NO_DAY for none. */
  latestDay: number;
  /** The outcome a stage name alone gives (OPEN, WON, LOST), for a row the history does not hold. */
  outcomeOfStage: (stage: string) => StageOutcome;
}

const day = (date: string | null, what: string): number => {
  if (date === null) return NO_DAY;
  const n = dayNumber(date);
  if (n === null) throw new Error(`${what} "${date}" is not a YYYY-MM-DD date`);
  return n;
};
const num = (value: number | null) => (value === null ? NaN : value);
const OUTCOME = { open: OPEN, won: WON, lost: LOST } as const;
const CLOSED_CATEGORY = { forecastCategory: 'Closed', probability: null };

/**
 * Takes a pipeline one record at a time, in whatever order a reader meets them (history before its
 * opportunities is fine), and groups it into columns at {@link build}. Nothing but the columns is
 * kept, so a streaming reader's memory is the columns' size.
 */
export class PipelineColumnsBuilder {
  readonly strings = new StringPool();
  readonly ids = new StringPool();
  private readonly opp = {
    id: new GrowableColumn(Uint32Array),
    name: new GrowableColumn(Uint32Array),
    accountId: new GrowableColumn(Uint32Array),
    accountName: new GrowableColumn(Uint32Array),
    owner: new GrowableColumn(Uint32Array),
    product: new GrowableColumn(Uint32Array),
    stage: new GrowableColumn(Uint32Array),
    forecastCategory: new GrowableColumn(Uint32Array),
    nextStep: new GrowableColumn(Uint32Array),
    isClosed: new GrowableColumn(Uint8Array),
    isWon: new GrowableColumn(Uint8Array),
    amount: new GrowableColumn(Float64Array),
    probability: new GrowableColumn(Float64Array),
    contactRoleCount: new GrowableColumn(Float64Array),
    createdDay: new GrowableColumn(Int32Array),
    closeDay: new GrowableColumn(Int32Array),
    lastActivityDay: new GrowableColumn(Int32Array),
    stageEnteredDay: new GrowableColumn(Int32Array),
    nextStepDay: new GrowableColumn(Int32Array),
  };
  private readonly hist = {
    of: new GrowableColumn(Uint32Array),
    day: new GrowableColumn(Int32Array),
    stage: new GrowableColumn(Uint32Array),
    amount: new GrowableColumn(Float64Array),
    closeDay: new GrowableColumn(Int32Array),
    probability: new GrowableColumn(Float64Array),
    forecastCategory: new GrowableColumn(Uint32Array),
  };
  private readonly eng = {
    of: new GrowableColumn(Uint32Array),
    day: new GrowableColumn(Int32Array),
    kind: new GrowableColumn(Uint32Array),
  };
  private readonly conv = {
    of: new GrowableColumn(Uint32Array),
    day: new GrowableColumn(Int32Array),
    pricingObjection: new GrowableColumn(Uint8Array),
    champion: new GrowableColumn(Uint32Array),
    competitorStart: new GrowableColumn(Int32Array),
    competitor: new GrowableColumn(Uint32Array),
    speakerStart: new GrowableColumn(Int32Array),
    speaker: new GrowableColumn(Uint32Array),
  };
  private readonly contactList: PipelineContact[] = [];
  /** Opportunity row by id, -1 where the id is only a history or activity row's so far. */
  private readonly rowOfId: number[] = [];
  private latestDay = NO_DAY;

  private see(d: number) {
    if (d !== NO_DAY && d > this.latestDay) this.latestDay = d;
  }

  opportunity(o: PipelineOpportunity): void {
    const id = this.ids.intern(o.id);
    if ((this.rowOfId[id] ?? -1) >= 0) {
      throw new Error(`opportunity ${o.id} appears twice; an export holds each opportunity once`);
    }
    const c = this.opp;
    this.rowOfId[id] = c.id.length;
    const s = this.strings;
    c.id.push(id);
    c.name.push(s.intern(o.name));
    c.accountId.push(s.intern(o.accountId));
    c.accountName.push(s.intern(o.accountName));
    c.owner.push(s.intern(o.owner));
    c.product.push(s.intern(o.product));
    c.stage.push(s.intern(o.stage));
    c.forecastCategory.push(s.intern(o.forecastCategory));
    c.nextStep.push(s.intern(o.nextStep));
    c.isClosed.push(o.isClosed ? 1 : 0);
    c.isWon.push(o.isWon ? 1 : 0);
    c.amount.push(num(o.amount));
    c.probability.push(num(o.probability));
    c.contactRoleCount.push(num(o.contactRoleCount));
    const created = day(o.createdDate, `opportunity ${o.id} created date`);
    const close = day(o.closeDate, `opportunity ${o.id} close date`);
    const activity = day(o.lastActivityDate, `opportunity ${o.id} last activity date`);
    c.createdDay.push(created);
    c.closeDay.push(close);
    c.lastActivityDay.push(activity);
    c.stageEnteredDay.push(day(o.stageEnteredDate, `opportunity ${o.id} stage entered date`));
    c.nextStepDay.push(day(o.nextStepDate, `opportunity ${o.id} next step date`));
    this.see(created);
    this.see(activity);
    if (o.isClosed) this.see(close);
  }

  history(change: OpportunityChange): void {
    const h = this.hist;
    const d = day(change.date, `history of ${change.opportunityId} date`);
    h.of.push(this.ids.intern(change.opportunityId));
    h.day.push(d);
    h.stage.push(this.strings.intern(change.stage));
    h.amount.push(num(change.amount));
    h.closeDay.push(day(change.closeDate, `history of ${change.opportunityId} close date`));
    h.probability.push(num(change.probability));
    h.forecastCategory.push(this.strings.intern(change.forecastCategory));
    this.see(d);
  }

  engagement(event: EngagementEvent): void {
    this.eng.of.push(this.ids.intern(event.opportunityId));
    this.eng.day.push(day(event.date, `engagement of ${event.opportunityId} date`));
    this.eng.kind.push(this.strings.intern(event.kind));
  }

  conversation(signal: ConversationSignal): void {
    const c = this.conv;
    c.of.push(this.ids.intern(signal.opportunityId));
    c.day.push(day(signal.date, `conversation of ${signal.opportunityId} date`));
    c.pricingObjection.push(signal.pricingObjection ? 1 : 0);
    c.champion.push(signal.champion ? this.strings.intern(signal.champion) : 0);
    c.competitorStart.push(c.competitor.length);
    for (const name of signal.competitors) c.competitor.push(this.strings.intern(name));
    c.speakerStart.push(c.speaker.length);
    for (const name of signal.customerSpeakers) c.speaker.push(this.strings.intern(name));
  }

  contact(contact: PipelineContact): void {
    this.contactList.push(contact);
  }

  build(knownFields?: readonly OpportunityField[]): PipelineColumns {
    const o = this.opp;
    const count = o.id.length;
    const opportunities: OpportunityColumns = {
      count,
      id: o.id.done(),
      name: o.name.done(),
      accountId: o.accountId.done(),
      accountName: o.accountName.done(),
      owner: o.owner.done(),
      product: o.product.done(),
      stage: o.stage.done(),
      forecastCategory: o.forecastCategory.done(),
      nextStep: o.nextStep.done(),
      isClosed: o.isClosed.done(),
      isWon: o.isWon.done(),
      amount: o.amount.done(),
      probability: o.probability.done(),
      contactRoleCount: o.contactRoleCount.done(),
      createdDay: o.createdDay.done(),
      closeDay: o.closeDay.done(),
      lastActivityDay: o.lastActivityDay.done(),
      stageEnteredDay: o.stageEnteredDay.done(),
      nextStepDay: o.nextStepDay.done(),
    };
    const s = this.strings;
    // The first opportunity in each stage says whether the stage is open, won or lost.
    const firstInStage = new Map<number, Pick<PipelineOpportunity, 'stage' | 'isClosed' | 'isWon'>>();
    for (let i = 0; i < count; i++) {
      const stage = opportunities.stage[i]!;
      if (!firstInStage.has(stage))
        firstInStage.set(stage, {
          stage: s.value(stage)!,
          isClosed: opportunities.isClosed[i] === 1,
          isWon: opportunities.isWon[i] === 1,
        });
    }
    const outcomeOf = stageOutcomes([...firstInStage.values()]);
    const rowOf = (of: GrowableColumn<Uint32Array>) => {
      const ids = of.done();
      const rows = new Int32Array(ids.length);
      for (let r = 0; r < ids.length; r++) rows[r] = this.rowOfId[ids[r]!] ?? -1;
      return rows;
    };

    const h = this.hist;
    const hDay = h.day.done();
    const hStage = h.stage.done();
    const hCategory = h.forecastCategory.done();
    const hProbability = h.probability.done();
    const hOutcome = new Uint8Array(hDay.length);
    const byStage = new Map<number, number>();
    for (let r = 0; r < hDay.length; r++) {
      const stage = hStage[r]!;
      let outcome = byStage.get(stage);
      if (outcome === undefined) {
        const name = s.value(stage)!;
        const alone = outcomeOf(name);
        // Only a stage unknown to the records and its name depends on the row's category.
        if (alone !== 'open' || outcomeOf(name, CLOSED_CATEGORY) === 'open') {
          outcome = OUTCOME[alone];
          byStage.set(stage, outcome);
        } else {
          const p = hProbability[r]!;
          outcome =
            OUTCOME[
              outcomeOf(name, {
                forecastCategory: s.value(hCategory[r]!),
                probability: Number.isNaN(p) ? null : p,
              })
            ];
        }
      }
      hOutcome[r] = outcome;
    }
    const hRowOf = rowOf(h.of);
    const hOrder = groupRows(hRowOf, count, hDay, hOutcome);
    let factsOrder: Int32Array | null = null;
    if (hOrder.closesMoved) {
      const byDay = groupRows(hRowOf, count, hDay, null).order;
      const at = new Int32Array(hDay.length);
      for (let p = 0; p < hOrder.order.length; p++) at[hOrder.order[p]!] = p;
      factsOrder = new Int32Array(byDay.length);
      for (let p = 0; p < byDay.length; p++) factsOrder[p] = at[byDay[p]!]!;
    }
    const history: HistoryColumns = {
      start: hOrder.start,
      day: pick(hDay, hOrder.order),
      stage: pick(hStage, hOrder.order),
      amount: pick(h.amount.done(), hOrder.order),
      closeDay: pick(h.closeDay.done(), hOrder.order),
      probability: pick(hProbability, hOrder.order),
      forecastCategory: pick(hCategory, hOrder.order),
      outcome: pick(hOutcome, hOrder.order),
      factsOrder,
    };

    const eDay = this.eng.day.done();
    const eOrder = groupRows(rowOf(this.eng.of), count, eDay, null);
    const engagement: EngagementColumns = {
      start: eOrder.start,
      day: pick(eDay, eOrder.order),
      kind: pick(this.eng.kind.done(), eOrder.order),
    };

    const c = this.conv;
    const cDay = c.day.done();
    const cOrder = groupRows(rowOf(c.of), count, cDay, null);
    const lists = (starts: GrowableColumn<Int32Array>, values: GrowableColumn<Uint32Array>) => {
      const from = starts.done();
      const all = values.done();
      const start = new Int32Array(cOrder.order.length + 1);
      const out = new Uint32Array(all.length);
      let n = 0;
      for (let k = 0; k < cOrder.order.length; k++) {
        const r = cOrder.order[k]!;
        const to = r + 1 < from.length ? from[r + 1]! : all.length;
        start[k] = n;
        for (let v = from[r]!; v < to; v++) out[n++] = all[v]!;
      }
      start[cOrder.order.length] = n;
      return { start, values: out.slice(0, n) };
    };
    const competitors = lists(c.competitorStart, c.competitor);
    const speakers = lists(c.speakerStart, c.speaker);
    const conversations: ConversationColumns = {
      start: cOrder.start,
      day: pick(cDay, cOrder.order),
      pricingObjection: pick(c.pricingObjection.done(), cOrder.order),
      champion: pick(c.champion.done(), cOrder.order),
      competitorStart: competitors.start,
      competitor: competitors.values,
      speakerStart: speakers.start,
      speaker: speakers.values,
    };
    return {
      strings: s,
      ids: this.ids,
      opportunities,
      history,
      engagement,
      conversations,
      contacts: this.contactList,
      knownFields: knownFields ? new Set(knownFields) : null,
      latestDay: this.latestDay,
      outcomeOfStage: (stage) => outcomeOf(stage),
    };
  }
}

/** The columns of a dataset already in memory. */
export function columnsOf(dataset: PipelineDataset): PipelineColumns {
  const builder = new PipelineColumnsBuilder();
  for (const o of dataset.opportunities) builder.opportunity(o);
  for (const c of dataset.history) builder.history(c);
  for (const e of dataset.engagement) builder.engagement(e);
  for (const c of dataset.conversations) builder.conversation(c);
  for (const c of dataset.contacts) builder.contact(c);
  return builder.build(dataset.knownFields);
}

function pick<T extends Int32Array | Uint32Array | Float64Array | Uint8Array>(
  column: T,
  order: Int32Array,
): T {
  const out = new (column.constructor as new (n: number) => T)(order.length);
  for (let k = 0; k < order.length; k++) out[k] = column[order[k]!]!;
  return out;
}

/**
 * The rows' order grouped by opportunity (a counting sort, so the data's order holds within one),
 * each group by day, a closing row after the open ones of its day (`closes`, when given), as the
 * history index orders them. An insertion sort per group: exports come in date order, so it is linear.
 * Rows of no opportunity are dropped, as the object engines ignore them. `closesMoved` says whether
 * a closing row was put after an open one the data gave after it.
 */
function groupRows(
  rowOf: Int32Array,
  count: number,
  dayOf: Int32Array,
  closes: Uint8Array | null,
): { start: Int32Array; order: Int32Array; closesMoved: boolean } {
  const start = new Int32Array(count + 1);
  for (let r = 0; r < rowOf.length; r++) if (rowOf[r]! >= 0) start[rowOf[r]! + 1]!++;
  for (let i = 0; i < count; i++) start[i + 1]! += start[i]!;
  const fill = start.slice(0, count);
  const order = new Int32Array(start[count]!);
  for (let r = 0; r < rowOf.length; r++) {
    const i = rowOf[r]!;
    if (i >= 0) order[fill[i]!++] = r;
  }
  let closesMoved = false;
  const after = (a: number, b: number) => {
    if (dayOf[a]! > dayOf[b]!) return true;
    if (dayOf[a] === dayOf[b] && closes !== null && closes[a]! !== OPEN && closes[b] === OPEN)
      return (closesMoved = true);
    return false;
  };
  for (let i = 0; i < count; i++) {
    for (let k = start[i]! + 1; k < start[i + 1]!; k++) {
      const r = order[k]!;
      let j = k - 1;
      while (j >= start[i]! && after(order[j]!, r)) {
        order[j + 1] = order[j]!;
        j--;
      }
      order[j + 1] = r;
    }
  }
  return { start, order, closesMoved };
}
