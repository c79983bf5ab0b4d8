import type {
  ConversationSignal,
  EngagementEvent,
  OpportunityChange,
  PipelineOpportunity,
} from '../pipeline/records.js';
import { NO_DAY } from '../pipeline/pipeline-columns.js';
import type { ColumnsAsOf } from '../pipeline/columns-as-of.js';
import type { StringPool } from '../pipeline/string-pool.js';
import { isoDay } from './calendar-days.js';
import { dealFactsOf, type DealFacts } from './deal-facts.js';
import { evaluateDeal, type DealSignals } from './deal-signals.js';
import type { ColumnHygiene } from './column-hygiene.js';

/**
 * A deal of the column engines as the object engines see it: its record, its facts and its
 * findings from evaluateDeal, for a reader that wants a whole deal (every finding, its facts, what
 * could not be judged), such as the audit's report of each open deal.
 */

/**
 * Deal `k` as the object engines see it: its record then and its rows dated up to the as-of date.
 */
export function dealFactsAt(hygiene: ColumnHygiene, k: number): DealFacts {
  const view = hygiene.view;
  const src = view.source;
  const i = view.row[k]!;
  const id = src.ids.value(src.opportunities.id[i]!)!;
  const h = hygiene.history;
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
