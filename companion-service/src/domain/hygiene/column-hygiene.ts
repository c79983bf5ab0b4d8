import type { OpportunityField } from '../pipeline/records.js';
import type { StageDefinition } from '../stages/stage-rules.js';
import type { RiskSignal } from '../risk/risk-rules.js';
import { NO_DAY, type HistoryColumns } from '../pipeline/pipeline-columns.js';
import type { ColumnsAsOf } from '../pipeline/columns-as-of.js';
import { NO_STRING } from '../pipeline/string-pool.js';
import type { FactsContext, PipelineIndex, StageAverage } from './deal-facts.js';
import type { PipelineRules } from './pipeline-rules.js';

/**
 * Hygiene over columns: which risk rules each deal meets as of a date, as a bit per rule, computed
 * with the same reading as deal-facts.ts and deal-signals.ts but from typed arrays, with no object
 * built per deal. The words (each finding's evidence) come from column-evidence.ts, which reads the
 * same numbers off the columns and words them with the sentences deal-signals.ts uses.
 */

/** The order evaluateDeal meets the rules in, so a finding's bit is its place in a deal's list. */
export const FINDING_ORDER: readonly RiskSignal[] = [
  'Stale',
  'Zombie',
  'Close_Date_Passed',
  'Close_Date_Slipped',
  'Stuck_In_Stage',
  'Skipped_Stage',
  'No_Next_Step',
  'Single_Threaded',
  'Missing_Fields',
  'Competitor_Present',
  'Pricing_Objection',
  'Champion_Silent',
];
const BIT = Object.fromEntries(FINDING_ORDER.map((s, i) => [s, 1 << i])) as Record<RiskSignal, number>;

export interface HygieneColumns {
  /** Per deal of the as-of view: the rules met, one bit per {@link FINDING_ORDER} entry (0 for closed deals). */
  flags: Uint16Array;
  /** The day of the latest touch, NO_DAY when nothing dates one. */
  lastTouchDay: Int32Array;
}

export class ColumnHygiene {
  readonly stageAverages = new Map<string, StageAverage>();
  readonly context: FactsContext;
  readonly index: PipelineIndex;
  /**
   * Each deal's history in the order deal-facts.ts reads it (by day, then as the data gave it):
   * the source's columns themselves unless a same-day close was moved for the as-of states.
   */
  readonly history: FactsHistory;
  /** The first row of each deal's history, engagement and conversations dated after the as-of date. */
  readonly historyCut: Int32Array;
  readonly engagementCut: Int32Array;
  readonly conversationCut: Int32Array;
  /**
   * Stages compared as deal-facts.ts compares them, by lower-cased name: each stage string's slot
   * (one per lower-cased name; -1 for a string that is no stage), and per slot its definition, the
   * fields it requires, its place among the open stages (-1 for none) and the org's average stay.
   */
  readonly slotOf: Int32Array;
  readonly slotDef: (StageDefinition | null)[] = [];
  readonly slotRequired: (readonly OpportunityField[] | null)[] = [];
  readonly slotOpen: number[] = [];
  readonly slotAverage: (StageAverage | null)[] = [];
  /** Open stages a move from open stage a to open stage b jumps over: skipped[a * open + b]. */
  readonly skipped: Int32Array;

  constructor(
    readonly view: ColumnsAsOf,
    readonly rules: PipelineRules,
  ) {
    const stageMap = new Map(rules.stages.map((s) => [s.stageName.toLowerCase(), s]));
    const openStages = rules.stages.filter((s) => !s.isClosed);
    this.context = { asOf: view.asOf, asOfDay: view.asOfDay, stageMap, openStages };
    const src = view.source;
    const cut = (start: Int32Array, day: Int32Array) => {
      const out = new Int32Array(view.count);
      for (let k = 0; k < view.count; k++) {
        const i = view.row[k]!;
        let lo = start[i]!;
        let hi = start[i + 1]!;
        while (lo < hi) {
          const mid = (lo + hi) >>> 1;
          if (day[mid]! <= view.asOfDay) lo = mid + 1;
          else hi = mid;
        }
        out[k] = lo;
      }
      return out;
    };
    this.history = factsHistory(src.history);
    this.historyCut = cut(src.history.start, src.history.day);
    this.engagementCut = cut(src.engagement.start, src.engagement.day);
    this.conversationCut = cut(src.conversations.start, src.conversations.day);

    const pool = src.strings;
    this.slotOf = new Int32Array(pool.size).fill(-1);
    const slotByKey = new Map<string, number>();
    const see = (id: number) => {
      if (this.slotOf[id] !== -1) return;
      const key = pool.value(id)!.toLowerCase();
      let slot = slotByKey.get(key);
      if (slot === undefined) {
        slot = slotByKey.size;
        slotByKey.set(key, slot);
        const def = stageMap.get(key) ?? null;
        this.slotDef.push(def);
        this.slotRequired.push(rules.requiredFields.get(key) ?? null);
        this.slotOpen.push(def ? openStages.indexOf(def) : -1);
        this.slotAverage.push(null);
      }
      this.slotOf[id] = slot;
    };
    for (const id of src.history.stage) see(id);
    for (let k = 0; k < view.count; k++) see(view.stage[k]!);
    const open = openStages.length;
    this.skipped = new Int32Array(open * open);
    for (let a = 0; a < open; a++)
      for (let b = 0; b < open; b++) {
        const from = openStages[a]!.sortOrder;
        const to = openStages[b]!.sortOrder;
        if (to > from)
          this.skipped[a * open + b] = openStages.filter(
            (s) => s.sortOrder > from && s.sortOrder < to,
          ).length;
      }
    this.addStays([...slotByKey.keys()]);
    this.index = {
      asOf: view.asOf,
      asOfDay: view.asOfDay,
      deals: [],
      byId: new Map(),
      stageAverages: this.stageAverages,
      knownFields: src.knownFields,
      lastDataDate: null,
      counts: { history: 0, engagement: 0, conversations: 0, contacts: src.contacts.length },
    };
  }

  /** How long deals stayed in each stage before moving on, as deal-facts.ts adds them up. */
  private addStays(keys: readonly string[]) {
    const { count, row } = this.view;
    const h = this.history;
    const days = new Float64Array(keys.length);
    const stays = new Int32Array(keys.length);
    for (let k = 0; k < count; k++) {
      const from = h.start[row[k]!]!;
      const to = this.historyCut[k]!;
      let start = from;
      for (let r = from + 1; r <= to; r++) {
        const slot = this.slotOf[h.stage[start]!]!;
        if (r < to && this.slotOf[h.stage[r]!] === slot) continue;
        if (r < to) {
          days[slot]! += h.day[r]! - h.day[start]!;
          stays[slot]!++;
        }
        start = r;
      }
    }
    for (let slot = 0; slot < keys.length; slot++) {
      if (stays[slot] === 0) continue;
      const average = { meanDays: days[slot]! / stays[slot]!, stays: stays[slot]! };
      this.slotAverage[slot] = average;
      this.stageAverages.set(keys[slot]!, average);
    }
  }

  /** Every deal's flags in one pass: no deal's record, history or evidence is built. */
  flags(): HygieneColumns {
    const view = this.view;
    const src = view.source;
    const o = src.opportunities;
    const h = this.history;
    const c = src.conversations;
    const pool = src.strings;
    const slotOf = this.slotOf;
    const risk = this.rules.risk.bySignal;
    const threshold = (signal: RiskSignal) => risk.get(signal)?.threshold ?? null;
    const stale = threshold('Stale');
    const zombie = threshold('Zombie');
    const passed = threshold('Close_Date_Passed');
    const slipped = threshold('Close_Date_Slipped');
    const stuck = threshold('Stuck_In_Stage');
    const skipAt = threshold('Skipped_Stage');
    const noNextStep = threshold('No_Next_Step');
    const thread = threshold('Single_Threaded');
    const missingAt = threshold('Missing_Fields');
    const competitor = risk.get('Competitor_Present');
    const pricing = risk.get('Pricing_Objection');
    const silent = risk.get('Champion_Silent');
    const recentDays = this.rules.thresholds.recentConversationDays;
    const open = this.context.openStages.length;
    const asOf = view.asOfDay;
    const flags = new Uint16Array(view.count);
    const lastTouchDay = new Int32Array(view.count);
    for (let k = 0; k < view.count; k++) {
      const i = view.row[k]!;
      const hFrom = h.start[i]!;
      const hTo = this.historyCut[k]!;
      const slot = slotOf[view.stage[k]!]!;
      const entered = this.enteredDay(k, slot);
      const touch = this.touchDay(k, entered);
      lastTouchDay[k] = touch;
      if (view.isClosed[k]) continue;

      let met = 0;
      if (stale !== null && touch !== NO_DAY && asOf - touch > stale) met |= BIT.Stale;
      if (zombie !== null && touch !== NO_DAY && asOf - touch > zombie) met |= BIT.Zombie;
      const closeDay = view.closeDay[k]!;
      if (passed !== null && closeDay !== NO_DAY && asOf - closeDay > passed) met |= BIT.Close_Date_Passed;
      if (slipped !== null) {
        let pushes = 0;
        let previous = NO_DAY;
        for (let r = hFrom; r < hTo; r++) {
          const close = h.closeDay[r]!;
          if (close === NO_DAY) continue;
          if (previous !== NO_DAY && close > previous) pushes++;
          previous = close;
        }
        if (pushes >= Math.max(1, slipped)) met |= BIT.Close_Date_Slipped;
      }
      if (stuck !== null && entered !== NO_DAY) {
        const def = this.slotDef[slot]!;
        const expected = def && def.expectedDays > 0 ? def.expectedDays : null;
        const average = this.slotAverage[slot];
        const baseline = expected ?? (average && average.stays >= 5 ? average.meanDays : null);
        if (baseline !== null && asOf - entered > stuck * baseline) met |= BIT.Stuck_In_Stage;
      }
      if (skipAt !== null) {
        const least = Math.max(1, skipAt);
        for (let r = hFrom + 1; r < hTo; r++) {
          const a = this.slotOpen[slotOf[h.stage[r - 1]!]!]!;
          const b = this.slotOpen[slotOf[h.stage[r]!]!]!;
          if (a >= 0 && b >= 0 && this.skipped[a * open + b]! >= least) {
            met |= BIT.Skipped_Stage;
            break;
          }
        }
      }
      if (noNextStep !== null && this.blank(k, 'nextStep') === true) met |= BIT.No_Next_Step;
      const roles = o.contactRoleCount[i]!;
      if (thread !== null && !Number.isNaN(roles) && roles <= thread) met |= BIT.Single_Threaded;
      if (missingAt !== null) {
        const required = this.slotRequired[slot];
        if (required) {
          let missing = 0;
          for (const field of required) if (this.blank(k, field) === true) missing++;
          if (missing >= Math.max(1, missingAt)) met |= BIT.Missing_Fields;
        }
      }

      const cFrom = c.start[i]!;
      const cTo = this.conversationCut[k]!;
      if (cTo > cFrom) {
        let withCompetitor = 0;
        let objections = 0;
        for (let r = cFrom; r < cTo; r++) {
          if (asOf - c.day[r]! > recentDays) continue;
          if (c.competitorStart[r + 1]! > c.competitorStart[r]!) withCompetitor++;
          if (c.pricingObjection[r]) objections++;
        }
        if (competitor && withCompetitor >= Math.max(1, competitor.threshold)) met |= BIT.Competitor_Present;
        if (pricing && objections >= Math.max(1, pricing.threshold)) met |= BIT.Pricing_Objection;
        if (silent) {
          let named = -1;
          for (let r = cTo - 1; r >= cFrom && named < 0; r--) if (c.champion[r] !== NO_STRING) named = r;
          if (named >= 0) {
            const key = pool.lower(c.champion[named]!);
            let since = -1;
            for (let r = cTo - 1; r >= cFrom && since < 0; r--)
              for (let s = c.speakerStart[r]!; s < c.speakerStart[r + 1]!; s++)
                if (pool.lower(c.speaker[s]!) === key) {
                  since = r;
                  break;
                }
            for (let r = cFrom; r < cTo && since < 0; r++)
              if (c.champion[r] !== NO_STRING && pool.lower(c.champion[r]!) === key) since = r;
            if (asOf - c.day[since]! > silent.threshold) met |= BIT.Champion_Silent;
          }
        }
      }
      flags[k] = met;
    }
    return { flags, lastTouchDay };
  }

  /** Where the current run of the deal's stage began, when the history reaches it; else the record's stage date. */
  enteredDay(k: number, slot: number): number {
    const h = this.history;
    const from = h.start[this.view.row[k]!]!;
    const to = this.historyCut[k]!;
    if (to > from && this.slotOf[h.stage[to - 1]!] === slot) {
      let r = to - 1;
      while (r > from && this.slotOf[h.stage[r - 1]!] === slot) r--;
      return h.day[r]!;
    }
    const recorded = this.view.stageEnteredDay[k]!;
    return recorded !== NO_DAY && recorded <= this.view.asOfDay ? recorded : NO_DAY;
  }

  /**
   * The day of the latest sign of life, as deal-facts.ts picks it: the latest of the record's
   * activity, the last engagement, the last conversation, the last stage change, the stage entry
   * and creation, none after the as-of date.
   */
  private touchDay(k: number, entered: number): number {
    const view = this.view;
    const src = view.source;
    const i = view.row[k]!;
    const h = this.history;
    let day = NO_DAY;
    const activity = view.lastActivityDay[k]!;
    if (activity !== NO_DAY && activity <= view.asOfDay) day = activity;
    const eTo = this.engagementCut[k]!;
    if (eTo > src.engagement.start[i]!) day = Math.max(day, src.engagement.day[eTo - 1]!);
    const cTo = this.conversationCut[k]!;
    if (cTo > src.conversations.start[i]!) day = Math.max(day, src.conversations.day[cTo - 1]!);
    const from = h.start[i]!;
    for (let r = this.historyCut[k]! - 1; r >= from + 1; r--) {
      if (this.slotOf[h.stage[r]!] !== this.slotOf[h.stage[r - 1]!]) {
        day = Math.max(day, h.day[r]!);
        break;
      }
    }
    day = Math.max(day, entered);
    const created = src.opportunities.createdDay[i]!;
    if (created <= view.asOfDay) day = Math.max(day, created);
    return day;
  }

  /** Whether a field is blank, as completeness.ts reads the record (an account is its id or its name). */
  blank(k: number, field: OpportunityField): boolean | null {
    if (field !== 'accountId') return this.valueBlank(k, field);
    const id = this.valueBlank(k, 'accountId');
    const name = this.valueBlank(k, 'accountName');
    if (id === false || name === false) return false;
    return id === true || name === true ? true : null;
  }

  private valueBlank(k: number, field: OpportunityField): boolean | null {
    const view = this.view;
    const i = view.row[k]!;
    const o = view.source.opportunities;
    let text = -1;
    let present = false;
    switch (field) {
      case 'accountId':
        text = o.accountId[i]!;
        break;
      case 'name':
        text = o.name[i]!;
        break;
      case 'accountName':
        text = o.accountName[i]!;
        break;
      case 'owner':
        text = o.owner[i]!;
        break;
      case 'product':
        text = o.product[i]!;
        break;
      case 'forecastCategory':
        text = view.forecastCategory[k]!;
        break;
      case 'nextStep':
        text = view.nextStep[k]!;
        break;
      case 'amount':
        present = !Number.isNaN(view.amount[k]!);
        break;
      case 'probability':
        present = !Number.isNaN(view.probability[k]!);
        break;
      case 'contactRoleCount':
        present = !Number.isNaN(o.contactRoleCount[i]!);
        break;
      case 'createdDate':
        present = o.createdDay[i] !== NO_DAY;
        break;
      case 'closeDate':
        present = view.closeDay[k] !== NO_DAY;
        break;
      case 'lastActivityDate':
        present = view.lastActivityDay[k] !== NO_DAY;
        break;
      case 'stageEnteredDate':
        present = view.stageEnteredDay[k] !== NO_DAY;
        break;
      case 'nextStepDate':
        present = view.nextStepDay[k] !== NO_DAY;
        break;
    }
    if (text > NO_STRING) return view.source.strings.blank(text);
    if (present) return false;
    return view.source.knownFields?.has(field) ? true : null;
  }
}

export type FactsHistory = Pick<
  HistoryColumns,
  'start' | 'day' | 'stage' | 'amount' | 'closeDay' | 'probability' | 'forecastCategory'
>;

function factsHistory(h: HistoryColumns): FactsHistory {
  const order = h.factsOrder;
  if (order === null) return h;
  const pick = <T extends Uint32Array | Float64Array | Int32Array>(column: T): T => {
    const out = column.slice() as T;
    for (let p = 0; p < order.length; p++) out[p] = column[order[p]!]!;
    return out;
  };
  // Both orders are by day, so the days and each deal's first row are the same in either.
  return {
    start: h.start,
    day: h.day,
    stage: pick(h.stage),
    amount: pick(h.amount),
    closeDay: pick(h.closeDay),
    probability: pick(h.probability),
    forecastCategory: pick(h.forecastCategory),
  };
}
