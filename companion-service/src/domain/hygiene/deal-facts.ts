import type {
  ConversationSignal,
  EngagementEvent,
  OpportunityChange,
  OpportunityField,
  PipelineDataset,
  PipelineOpportunity,
} from '../pipeline/records.js';
import type { StageDefinition } from '../stages/stage-rules.js';
import { dayNumber, isoDay } from './calendar-days.js';

/**
 * What the record and its history say about each deal as of a date, computed once per deal so the
 * hygiene, risk and action engines never search the dataset again: the dataset is grouped by
 * opportunity id in one pass, and everything dated after the as-of date is left out.
 */

export type TouchSource = 'activity' | 'engagement' | 'conversation' | 'stage change' | 'created';

export interface Touch {
  date: string;
  day: number;
  source: TouchSource;
  /** What happened, for the evidence ("Proposal_Opened", "stage change to Engaging"). */
  detail: string;
}

export interface ClosePush {
  on: string;
  from: string;
  to: string;
}

export interface StageSkip {
  on: string;
  from: string;
  to: string;
  skipped: string[];
}

export interface DealFacts {
  opportunity: PipelineOpportunity;
  /** The deal's OpportunityHistory up to the as-of date, oldest first. */
  history: OpportunityChange[];
  engagement: EngagementEvent[];
  conversations: ConversationSignal[];
  stage: StageDefinition | null;
  /** The latest sign of life: activity, customer engagement, a conversation, a stage change or creation. */
  lastTouch: Touch | null;
  stageEntered: { date: string; source: 'history' | 'record' } | null;
  daysInStage: number | null;
  closePushes: ClosePush[];
  skips: StageSkip[];
}

export interface StageAverage {
  meanDays: number;
  /** How many completed stays in the stage the mean is over. */
  stays: number;
}

export interface PipelineIndex {
  asOf: string;
  asOfDay: number;
  deals: DealFacts[];
  byId: ReadonlyMap<string, DealFacts>;
  /** Days a deal stayed in each stage before moving on, from the history, by lower-cased stage. */
  stageAverages: ReadonlyMap<string, StageAverage>;
  /** Fields the source carries; null when the source did not say. */
  knownFields: ReadonlySet<OpportunityField> | null;
  /** The newest date the data holds about the past (activity, history, closings), to warn about a far as-of. */
  lastDataDate: string | null;
  /** How many rows of history, engagement and conversations the data holds, dated up to as-of. */
  counts: { history: number; engagement: number; conversations: number; contacts: number };
}

/**
 * Rows grouped by deal in two passes: a count per deal first, so each deal's list is allocated once
 * at its size (growing a hundred thousand lists by push was most of the indexing's garbage), then
 * the rows dropped in place. A list is sorted only when the data did not already give it in order.
 */
function groupByOpportunity<T extends { opportunityId: string; date: string }>(
  rows: readonly T[],
  slots: ReadonlyMap<string, number>,
  asOf: string,
): { groups: T[][]; kept: number; newest: string | null } {
  const slotOf = new Int32Array(rows.length);
  const sizes = new Int32Array(slots.size);
  let kept = 0;
  let newest: string | null = null;
  for (let r = 0; r < rows.length; r++) {
    const row = rows[r]!;
    // ISO dates compare as strings; anything after the as-of date was not known then.
    const slot = row.date > asOf ? undefined : slots.get(row.opportunityId);
    if (slot === undefined) {
      slotOf[r] = -1;
      continue;
    }
    slotOf[r] = slot;
    sizes[slot]!++;
    kept++;
    if (newest === null || row.date > newest) newest = row.date;
  }
  const groups: T[][] = new Array(slots.size);
  const filled = new Int32Array(slots.size);
  let unsorted = false;
  for (let r = 0; r < rows.length; r++) {
    const slot = slotOf[r]!;
    if (slot < 0) continue;
    const group = (groups[slot] ??= new Array<T>(sizes[slot]!));
    const at = filled[slot]!++;
    if (at > 0 && group[at - 1]!.date > rows[r]!.date) unsorted = true;
    group[at] = rows[r]!;
  }
  if (unsorted)
    for (const group of groups)
      if (group && group.length > 1) group.sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
  return { groups, kept, newest };
}

export function touchDetail(source: TouchSource, what: string): string {
  switch (source) {
    case 'activity':
      return 'last activity on the record';
    case 'engagement':
      return what;
    case 'conversation':
      return 'a captured conversation';
    case 'stage change':
      return `stage change to ${what}`;
    case 'created':
      return 'the deal was created';
  }
}

function touch(date: string | null, source: TouchSource, detail: string): Touch | null {
  const day = dayNumber(date);
  return day === null ? null : { date: date!, day, source, detail };
}

/** Where the current run of the deal's stage began in its history, if the history reaches it. */
function stageEntryFromHistory(stage: string, history: readonly OpportunityChange[]): string | null {
  const wanted = stageKey(stage);
  let i = history.length - 1;
  if (i < 0 || stageKey(history[i]!.stage) !== wanted) return null;
  while (i > 0 && stageKey(history[i - 1]!.stage) === wanted) i--;
  return history[i]!.date;
}

/**
 * Stage names lower-cased once each: a pipeline repeats a dozen names across hundreds of thousands
 * of history rows, and toLowerCase makes a new string on every call.
 */
const lowered = new Map<string, string>();
export function stageKey(stage: string): string {
  let key = lowered.get(stage);
  if (key === undefined) {
    key = stage.toLowerCase();
    if (lowered.size < 10_000) lowered.set(stage, key);
  }
  return key;
}

/** Shared by every deal with nothing to list, so a large pipeline allocates no empty arrays. */
export const NONE: never[] = [];

function closePushesIn(history: readonly OpportunityChange[]): ClosePush[] {
  if (history.length < 2) return NONE;
  let pushes: ClosePush[] = NONE;
  let previous: string | null = null;
  for (const row of history) {
    if (row.closeDate) {
      if (previous && row.closeDate > previous) {
        if (pushes === NONE) pushes = [];
        pushes.push({ on: row.date, from: previous, to: row.closeDate });
      }
      previous = row.closeDate;
    }
  }
  return pushes;
}

function skipsIn(
  history: readonly OpportunityChange[],
  stages: ReadonlyMap<string, StageDefinition>,
  openStages: readonly StageDefinition[],
): StageSkip[] {
  if (history.length < 2) return NONE;
  const skips: StageSkip[] = [];
  for (let i = 1; i < history.length; i++) {
    const from = stages.get(stageKey(history[i - 1]!.stage));
    const to = stages.get(stageKey(history[i]!.stage));
    // Closing from any stage is normal; a skip is only a jump forward between open stages.
    if (!from || !to || from.isClosed || to.isClosed || to.sortOrder <= from.sortOrder) continue;
    const skipped = openStages
      .filter((s) => s.sortOrder > from.sortOrder && s.sortOrder < to.sortOrder)
      .map((s) => s.stageName);
    if (skipped.length > 0)
      skips.push({ on: history[i]!.date, from: from.stageName, to: to.stageName, skipped });
  }
  return skips;
}

function addStays(history: readonly OpportunityChange[], asOf: number, sums: Map<string, StageAverage>) {
  let start = 0;
  for (let i = 1; i <= history.length; i++) {
    const current = history[start]!;
    if (i < history.length && stageKey(history[i]!.stage) === stageKey(current.stage)) continue;
    if (i < history.length) {
      const from = dayNumber(current.date);
      const to = dayNumber(history[i]!.date);
      if (from !== null && to !== null && to <= asOf) {
        const key = stageKey(current.stage);
        const sum = sums.get(key) ?? { meanDays: 0, stays: 0 };
        sum.meanDays += to - from;
        sum.stays++;
        sums.set(key, sum);
      }
    }
    start = i;
  }
}

/** What every deal's facts are read against: the as-of date and the stage definitions. */
export interface FactsContext {
  asOf: string;
  asOfDay: number;
  /** Stage definitions by lower-cased stage name. */
  stageMap: ReadonlyMap<string, StageDefinition>;
  openStages: readonly StageDefinition[];
}

/**
 * One deal's facts from its record and its rows dated up to the as-of date, oldest first. The
 * column engines build a deal's facts through here too when they need its evidence in words.
 */
export function dealFactsOf(
  opportunity: PipelineOpportunity,
  rows: OpportunityChange[],
  events: EngagementEvent[],
  talks: ConversationSignal[],
  { asOf, asOfDay, stageMap, openStages }: FactsContext,
): DealFacts {
  const fromHistory = stageEntryFromHistory(opportunity.stage, rows);
  const enteredDate =
    fromHistory ??
    (opportunity.stageEnteredDate && opportunity.stageEnteredDate <= asOf
      ? opportunity.stageEnteredDate
      : null);
  const stageEntered = enteredDate
    ? { date: enteredDate, source: fromHistory ? ('history' as const) : ('record' as const) }
    : null;
  const enteredDay = dayNumber(stageEntered?.date);

  // ISO dates order as strings: find the latest touch first, build its one Touch after.
  let touchDate: string | null = null;
  let touchSource: TouchSource = 'created';
  let touchWhat = '';
  const consider = (date: string | null, source: TouchSource, what: string) => {
    if (date !== null && date <= asOf && (touchDate === null || date > touchDate)) {
      touchDate = date;
      touchSource = source;
      touchWhat = what;
    }
  };
  consider(opportunity.lastActivityDate, 'activity', '');
  const lastEvent = events[events.length - 1];
  if (lastEvent) consider(lastEvent.date, 'engagement', lastEvent.kind);
  const lastTalk = talks[talks.length - 1];
  if (lastTalk) consider(lastTalk.date, 'conversation', '');
  for (let r = rows.length - 1; r >= 1; r--) {
    if (stageKey(rows[r]!.stage) !== stageKey(rows[r - 1]!.stage)) {
      consider(rows[r]!.date, 'stage change', rows[r]!.stage);
      break;
    }
  }
  if (stageEntered) consider(stageEntered.date, 'stage change', opportunity.stage);
  consider(opportunity.createdDate, 'created', '');
  const lastTouch =
    touchDate === null ? null : touch(touchDate, touchSource, touchDetail(touchSource, touchWhat));
  return {
    opportunity,
    history: rows,
    engagement: events,
    conversations: talks,
    stage: stageMap.get(stageKey(opportunity.stage)) ?? null,
    lastTouch,
    stageEntered,
    daysInStage: enteredDay === null ? null : asOfDay - enteredDay,
    closePushes: closePushesIn(rows),
    skips: skipsIn(rows, stageMap, openStages),
  };
}

export function indexPipeline(
  dataset: PipelineDataset,
  stages: readonly StageDefinition[],
  asOf: string,
): PipelineIndex {
  const asOfDay = dayNumber(asOf);
  if (asOfDay === null) throw new Error(`as-of "${asOf}" is not a YYYY-MM-DD date`);
  const stageMap = new Map(stages.map((s) => [s.stageName.toLowerCase(), s]));
  const openStages = stages.filter((s) => !s.isClosed);
  const opportunities = dataset.opportunities;
  const slots = new Map<string, number>();
  opportunities.forEach((o, i) => slots.set(o.id, i));

  const history = groupByOpportunity(dataset.history, slots, asOf);
  const engagement = groupByOpportunity(dataset.engagement, slots, asOf);
  const conversations = groupByOpportunity(dataset.conversations, slots, asOf);

  const sums = new Map<string, StageAverage>();
  let lastDataDay: number | null = null;
  const seeDay = (day: number | null) => {
    if (day !== null && day <= asOfDay && (lastDataDay === null || day > lastDataDay)) lastDataDay = day;
  };
  const deals: DealFacts[] = new Array(opportunities.length);
  const byId = new Map<string, DealFacts>();
  const context: FactsContext = { asOf, asOfDay, stageMap, openStages };
  for (let i = 0; i < opportunities.length; i++) {
    const opportunity = opportunities[i]!;
    const rows = history.groups[i] ?? NONE;
    addStays(rows, asOfDay, sums);
    const deal = dealFactsOf(
      opportunity,
      rows,
      engagement.groups[i] ?? NONE,
      conversations.groups[i] ?? NONE,
      context,
    );
    seeDay(deal.lastTouch?.day ?? null);
    if (opportunity.isClosed) seeDay(dayNumber(opportunity.closeDate));
    if (rows.length > 0) seeDay(dayNumber(rows[rows.length - 1]!.date));
    deals[i] = deal;
    byId.set(opportunity.id, deal);
  }
  for (const sum of sums.values()) sum.meanDays = sum.meanDays / sum.stays;

  return {
    asOf,
    asOfDay,
    deals,
    byId,
    stageAverages: sums,
    knownFields: dataset.knownFields ? new Set(dataset.knownFields) : null,
    lastDataDate: lastDataDay === null ? null : isoDay(lastDataDay),
    counts: {
      history: history.kept,
      engagement: engagement.kept,
      conversations: conversations.kept,
      contacts: dataset.contacts.length,
    },
  };
}
