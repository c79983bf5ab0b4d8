import type {
  ConversationSignal,
  EngagementEvent,
  OpportunityChange,
  OpportunityField,
  PipelineOpportunity,
} from '../pipeline/records.js';
import type { StageDefinition } from '../stages/stage-rules.js';
import type { RiskSignal } from '../risk/risk-rules.js';
import { NO_DAY } from '../pipeline/pipeline-columns.js';
import type { ColumnsAsOf } from '../pipeline/columns-as-of.js';
import { NO_STRING } from '../pipeline/string-pool.js';
import { isoDay } from './calendar-days.js';
import {
  dealFactsOf,
  type DealFacts,
  type FactsContext,
  type PipelineIndex,
  type StageAverage,
} from './deal-facts.js';
import { evaluateDeal, type DealSignals } from './deal-signals.js';
import type { PipelineRules } from './pipeline-rules.js';

/**
 * Hygiene over columns: which risk rules each deal meets as of a date, as a bit per rule, computed
 * with the same reading as deal-facts.ts and deal-signals.ts but from typed arrays, with no object
 * built per deal. The words (each finding's evidence) are what a person reads for a few deals, so
 * they come from the object engine itself: {@link ColumnHygiene.signals} builds that one deal's
 * facts and runs evaluateDeal on them, so there is one copy of every sentence.
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

const TOUCH_SOURCES = ['activity', 'engagement', 'conversation', 'stage change', 'created'] as const;

export interface HygieneColumns {
  /** Per deal of the as-of view: the rules met, one bit per {@link FINDING_ORDER} entry (0 for closed deals). */
  flags: Uint16Array;
  /** The day of the latest touch, NO_DAY when nothing dates one. */
  lastTouchDay: Int32Array;
}

export class ColumnHygiene {
  readonly stageAverages = new Map<string, StageAverage>();
  private readonly stageDefs = new Map<number, StageDefinition | null>();
  private readonly skipCounts = new Map<number, number>();
  private readonly required = new Map<number, readonly OpportunityField[] | null>();
  private readonly averageOf = new Map<number, StageAverage>();
  private readonly context: FactsContext;
  private readonly index: PipelineIndex;
  /** The first row of each deal's history, engagement and conversations dated after the as-of date. */
  private readonly historyCut: Int32Array;
  private readonly engagementCut: Int32Array;
  private readonly conversationCut: Int32Array;

  constructor(
    readonly view: ColumnsAsOf,
    readonly rules: PipelineRules,
  ) {
    const stageMap = new Map(rules.stages.map((s) => [s.stageName.toLowerCase(), s]));
    this.context = {
      asOf: view.asOf,
      asOfDay: view.asOfDay,
      stageMap,
      openStages: rules.stages.filter((s) => !s.isClosed),
    };
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
    this.historyCut = cut(src.history.start, src.history.day);
    this.engagementCut = cut(src.engagement.start, src.engagement.day);
    this.conversationCut = cut(src.conversations.start, src.conversations.day);
    this.addStays();
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
  private addStays() {
    const { source: src, count, row } = this.view;
    const h = src.history;
    const pool = src.strings;
    const sums = new Map<number, StageAverage>();
    for (let k = 0; k < count; k++) {
      const from = h.start[row[k]!]!;
      const to = this.historyCut[k]!;
      let start = from;
      for (let r = from + 1; r <= to; r++) {
        const key = pool.lower(h.stage[start]!);
        if (r < to && pool.lower(h.stage[r]!) === key) continue;
        if (r < to) {
          let sum = sums.get(key);
          if (sum === undefined) sums.set(key, (sum = { meanDays: 0, stays: 0 }));
          sum.meanDays += h.day[r]! - h.day[start]!;
          sum.stays++;
        }
        start = r;
      }
    }
    for (const [key, sum] of sums) {
      sum.meanDays = sum.meanDays / sum.stays;
      this.averageOf.set(key, sum);
      this.stageAverages.set(pool.value(key)!, sum);
    }
  }

  private stageDef(lowered: number): StageDefinition | null {
    let def = this.stageDefs.get(lowered);
    if (def === undefined) {
      def = this.context.stageMap.get(this.view.source.strings.value(lowered)!) ?? null;
      this.stageDefs.set(lowered, def);
    }
    return def;
  }

  /** How many open stages a move from one stage to another jumps over (0 for none, or a close). */
  private skippedBetween(fromLowered: number, toLowered: number): number {
    const key = fromLowered * 0x100000 + toLowered;
    let n = this.skipCounts.get(key);
    if (n === undefined) {
      const from = this.stageDef(fromLowered);
      const to = this.stageDef(toLowered);
      n =
        !from || !to || from.isClosed || to.isClosed || to.sortOrder <= from.sortOrder
          ? 0
          : this.context.openStages.filter((s) => s.sortOrder > from.sortOrder && s.sortOrder < to.sortOrder)
              .length;
      this.skipCounts.set(key, n);
    }
    return n;
  }

  private requiredFields(lowered: number): readonly OpportunityField[] | null {
    let fields = this.required.get(lowered);
    if (fields === undefined) {
      fields = this.rules.requiredFields.get(this.view.source.strings.value(lowered)!) ?? null;
      this.required.set(lowered, fields);
    }
    return fields;
  }

  /** Every deal's flags in one pass: no deal's record, history or evidence is built. */
  flags(): HygieneColumns {
    const view = this.view;
    const src = view.source;
    const o = src.opportunities;
    const h = src.history;
    const c = src.conversations;
    const pool = src.strings;
    const risk = this.rules.risk.bySignal;
    const threshold = (signal: RiskSignal) => risk.get(signal)?.threshold ?? null;
    const stale = threshold('Stale');
    const zombie = threshold('Zombie');
    const passed = threshold('Close_Date_Passed');
    const slipped = threshold('Close_Date_Slipped');
    const stuck = threshold('Stuck_In_Stage');
    const skipped = threshold('Skipped_Stage');
    const noNextStep = threshold('No_Next_Step');
    const thread = threshold('Single_Threaded');
    const missingAt = threshold('Missing_Fields');
    const competitor = risk.get('Competitor_Present');
    const pricing = risk.get('Pricing_Objection');
    const silent = risk.get('Champion_Silent');
    const recentDays = this.rules.thresholds.recentConversationDays;
    const asOf = view.asOfDay;
    const flags = new Uint16Array(view.count);
    const lastTouchDay = new Int32Array(view.count);
    for (let k = 0; k < view.count; k++) {
      const i = view.row[k]!;
      const hFrom = h.start[i]!;
      const hTo = this.historyCut[k]!;
      const stage = view.stage[k]!;
      const stageLow = pool.lower(stage);
      // Where the current run of the deal's stage began, when the history reaches it.
      let entered = NO_DAY;
      if (hTo > hFrom && pool.lower(h.stage[hTo - 1]!) === stageLow) {
        let r = hTo - 1;
        while (r > hFrom && pool.lower(h.stage[r - 1]!) === stageLow) r--;
        entered = h.day[r]!;
      } else entered = onOrBefore(view.stageEnteredDay[k]!, asOf);
      const touch = this.touchOf(k, entered).day;
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
        const def = this.stageDef(stageLow);
        const expected = def && def.expectedDays > 0 ? def.expectedDays : null;
        const average = this.averageOf.get(stageLow);
        const baseline = expected ?? (average && average.stays >= 5 ? average.meanDays : null);
        if (baseline !== null && asOf - entered > stuck * baseline) met |= BIT.Stuck_In_Stage;
      }
      if (skipped !== null) {
        const least = Math.max(1, skipped);
        for (let r = hFrom + 1; r < hTo; r++) {
          if (this.skippedBetween(pool.lower(h.stage[r - 1]!), pool.lower(h.stage[r]!)) >= least) {
            met |= BIT.Skipped_Stage;
            break;
          }
        }
      }
      if (noNextStep !== null && this.blank(k, 'nextStep') === true) met |= BIT.No_Next_Step;
      const roles = o.contactRoleCount[i]!;
      if (thread !== null && !Number.isNaN(roles) && roles <= thread) met |= BIT.Single_Threaded;
      if (missingAt !== null) {
        const required = this.requiredFields(stageLow);
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

  /**
   * The latest sign of life, as deal-facts.ts picks it: the first of the latest dates among the
   * record's activity, the last engagement, the last conversation, the last stage change, the stage
   * entry and creation.
   */
  touchOf(k: number, entered: number): { day: number; source: (typeof TOUCH_SOURCES)[number] } {
    const view = this.view;
    const src = view.source;
    const i = view.row[k]!;
    const asOf = view.asOfDay;
    const h = src.history;
    const pool = src.strings;
    let day = NO_DAY;
    let source = 4;
    const consider = (d: number, from: number) => {
      if (d !== NO_DAY && d <= asOf && (day === NO_DAY || d > day)) {
        day = d;
        source = from;
      }
    };
    consider(view.lastActivityDay[k]!, 0);
    const eTo = this.engagementCut[k]!;
    if (eTo > src.engagement.start[i]!) consider(src.engagement.day[eTo - 1]!, 1);
    const cTo = this.conversationCut[k]!;
    if (cTo > src.conversations.start[i]!) consider(src.conversations.day[cTo - 1]!, 2);
    const hFrom = h.start[i]!;
    for (let r = this.historyCut[k]! - 1; r >= hFrom + 1; r--) {
      if (pool.lower(h.stage[r]!) !== pool.lower(h.stage[r - 1]!)) {
        consider(h.day[r]!, 3);
        break;
      }
    }
    consider(entered, 3);
    consider(src.opportunities.createdDay[i]!, 4);
    return { day, source: TOUCH_SOURCES[source]! };
  }

  /** Whether a field is blank, as completeness.ts's fieldBlank reads the record. */
  blank(k: number, field: OpportunityField): boolean | null {
    if (field === 'accountId') {
      const id = this.valueBlank(k, 'accountId');
      const name = this.valueBlank(k, 'accountName');
      if (id === false || name === false) return false;
      return id === true || name === true ? true : null;
    }
    return this.valueBlank(k, field);
  }

  private valueBlank(k: number, field: OpportunityField): boolean | null {
    const view = this.view;
    const i = view.row[k]!;
    const o = view.source.opportunities;
    const known = view.source.knownFields;
    const pool = view.source.strings;
    const ofString = (id: number, name: OpportunityField) =>
      id === NO_STRING ? (known?.has(name) ? true : null) : pool.blank(id);
    const ofValue = (present: boolean, name: OpportunityField) =>
      present ? false : known?.has(name) ? true : null;
    switch (field) {
      case 'accountId':
        return ofString(o.accountId[i]!, field);
      case 'name':
        return ofString(o.name[i]!, field);
      case 'accountName':
        return ofString(o.accountName[i]!, field);
      case 'owner':
        return ofString(o.owner[i]!, field);
      case 'product':
        return ofString(o.product[i]!, field);
      case 'forecastCategory':
        return ofString(view.forecastCategory[k]!, field);
      case 'nextStep':
        return ofString(view.nextStep[k]!, field);
      case 'amount':
        return ofValue(!Number.isNaN(view.amount[k]!), field);
      case 'probability':
        return ofValue(!Number.isNaN(view.probability[k]!), field);
      case 'contactRoleCount':
        return ofValue(!Number.isNaN(o.contactRoleCount[i]!), field);
      case 'createdDate':
        return ofValue(o.createdDay[i] !== NO_DAY, field);
      case 'closeDate':
        return ofValue(view.closeDay[k] !== NO_DAY, field);
      case 'lastActivityDate':
        return ofValue(view.lastActivityDay[k] !== NO_DAY, field);
      case 'stageEnteredDate':
        return ofValue(view.stageEnteredDay[k] !== NO_DAY, field);
      case 'nextStepDate':
        return ofValue(view.nextStepDay[k] !== NO_DAY, field);
    }
  }

  /** Deal `k` as the object engines see it: its record then and its rows dated up to the as-of date. */
  dealFacts(k: number): DealFacts {
    const view = this.view;
    const src = view.source;
    const i = view.row[k]!;
    const id = src.ids.value(src.opportunities.id[i]!)!;
    const h = src.history;
    const rows: OpportunityChange[] = [];
    for (let r = h.start[i]!; r < this.historyCut[k]!; r++) {
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
    for (let r = e.start[i]!; r < this.engagementCut[k]!; r++) {
      events.push({
        opportunityId: id,
        date: isoDay(e.day[r]!),
        kind: src.strings.value(e.kind[r]!)!,
        contactId: null,
      });
    }
    const talks: ConversationSignal[] = [];
    const c = src.conversations;
    const names = (start: Int32Array, values: Uint32Array, r: number) => {
      const out: string[] = [];
      for (let v = start[r]!; v < start[r + 1]!; v++) out.push(src.strings.value(values[v]!)!);
      return out;
    };
    for (let r = c.start[i]!; r < this.conversationCut[k]!; r++) {
      talks.push({
        opportunityId: id,
        date: isoDay(c.day[r]!),
        competitors: names(c.competitorStart, c.competitor, r),
        pricingObjection: c.pricingObjection[r] === 1,
        customerSpeakers: names(c.speakerStart, c.speaker, r),
        champion: src.strings.value(c.champion[r]!),
      });
    }
    return dealFactsOf(opportunityAt(view, k), rows, events, talks, this.context);
  }

  /** Deal `k`'s findings with their evidence, exactly as evaluateDeal gives them. */
  signals(k: number, detail = true): DealSignals {
    return evaluateDeal(this.dealFacts(k), this.index, this.rules, { detail });
  }
}

const onOrBefore = (d: number, asOf: number) => (d !== NO_DAY && d <= asOf ? d : NO_DAY);
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
