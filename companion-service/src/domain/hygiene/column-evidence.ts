import type { RiskSignal } from '../risk/risk-rules.js';
import { NO_DAY } from '../pipeline/pipeline-columns.js';
import { NO_STRING } from '../pipeline/string-pool.js';
import { isoDay } from './calendar-days.js';
import { touchDetail, type TouchSource } from './deal-facts.js';
import { fieldLabel } from './completeness.js';
import type { ColumnHygiene } from './column-hygiene.js';
import {
  championSilentEvidence,
  closeDatePassedEvidence,
  closeDateSlippedEvidence,
  competitorEvidence,
  missingFieldsEvidence,
  NO_NEXT_STEP_EVIDENCE,
  pricingObjectionEvidence,
  singleThreadedEvidence,
  skippedStageEvidence,
  staleEvidence,
  stuckInStageEvidence,
  zombieEvidence,
} from './finding-evidence.js';

/**
 * A finding's evidence read straight off the columns: the numbers and dates deal-signals.ts reads
 * from a deal's facts, found in the deal's rows of the typed arrays, then worded by the one copy of
 * each sentence (finding-evidence.ts). No record, history row or fact object is built, so the
 * action queue can quote a finding for every deal it ranks. The equivalence test holds every
 * sentence to the object engine's.
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

export interface ColumnTouch {
  day: number;
  source: TouchSource;
  /** What happened, as deal-facts.ts words it for the evidence. */
  detail: string;
}

/** Deal `k`'s latest touch as deal-facts.ts picks it (the first candidate wins a tie); null for none. */
export function touchAt(hygiene: ColumnHygiene, k: number): ColumnTouch | null {
  const view = hygiene.view;
  const src = view.source;
  const h = hygiene.history;
  const i = view.row[k]!;
  const from = h.start[i]!;
  const to = hygiene.historyCut[k]!;
  const slot = hygiene.slotOf[view.stage[k]!]!;
  const eTo = hygiene.engagementCut[k]!;
  const cTo = hygiene.conversationCut[k]!;
  let change = -1;
  for (let r = to - 1; r >= from + 1 && change < 0; r--)
    if (hygiene.slotOf[h.stage[r]!] !== hygiene.slotOf[h.stage[r - 1]!]) change = r;
  const days = [
    view.lastActivityDay[k]!,
    eTo > src.engagement.start[i]! ? src.engagement.day[eTo - 1]! : NO_DAY,
    cTo > src.conversations.start[i]! ? src.conversations.day[cTo - 1]! : NO_DAY,
    change >= 0 ? h.day[change]! : NO_DAY,
    hygiene.enteredDay(k, slot),
    src.opportunities.createdDay[i]!,
  ];
  let best = -1;
  for (let c = 0; c < days.length; c++) {
    const d = days[c]!;
    if (d !== NO_DAY && d <= view.asOfDay && (best < 0 || d > days[best]!)) best = c;
  }
  if (best < 0) return null;
  const s = src.strings;
  const what =
    best === 1
      ? s.value(src.engagement.kind[eTo - 1]!)!
      : best === 3
        ? s.value(h.stage[change]!)!
        : best === 4
          ? s.value(view.stage[k]!)!
          : '';
  const source = TOUCH_SOURCES[best]!;
  return { day: days[best]!, source, detail: touchDetail(source, what) };
}

/** The evidence of deal `k`'s finding for `signal`, a rule the deal meets, in the object engine's words. */
export function evidenceAt(hygiene: ColumnHygiene, k: number, signal: RiskSignal): string {
  const view = hygiene.view;
  const asOf = view.asOfDay;
  const rule = hygiene.rules.risk.bySignal.get(signal)!;
  switch (signal) {
    case 'Stale':
    case 'Zombie': {
      const touch = touchAt(hygiene, k)!;
      const word = signal === 'Stale' ? staleEvidence : zombieEvidence;
      return word(asOf - touch.day, rule.threshold, isoDay(touch.day), touch.detail);
    }
    case 'Close_Date_Passed':
      return closeDatePassedEvidence(isoDay(view.closeDay[k]!), asOf - view.closeDay[k]!);
    case 'Close_Date_Slipped':
      return slippedAt(hygiene, k, rule.threshold);
    case 'Stuck_In_Stage': {
      const slot = hygiene.slotOf[view.stage[k]!]!;
      const entered = hygiene.enteredDay(k, slot);
      const def = hygiene.slotDef[slot];
      return stuckInStageEvidence(
        view.source.strings.value(view.stage[k]!)!,
        asOf - entered,
        isoDay(entered),
        rule.threshold,
        def && def.expectedDays > 0 ? def.expectedDays : null,
        hygiene.slotAverage[slot],
      );
    }
    case 'Skipped_Stage':
      return skippedAt(hygiene, k, rule.threshold);
    case 'No_Next_Step':
      return NO_NEXT_STEP_EVIDENCE;
    case 'Single_Threaded':
      return singleThreadedEvidence(
        view.source.opportunities.contactRoleCount[view.row[k]!]!,
        rule.threshold,
      );
    case 'Missing_Fields': {
      const required = hygiene.slotRequired[hygiene.slotOf[view.stage[k]!]!] ?? [];
      const missing: string[] = [];
      let checked = 0;
      for (const field of required) {
        const blank = hygiene.blank(k, field);
        if (blank === null) continue;
        checked++;
        if (blank) missing.push(fieldLabel(field));
      }
      return missingFieldsEvidence(view.source.strings.value(view.stage[k]!)!, missing, checked);
    }
    case 'Competitor_Present':
    case 'Pricing_Objection':
      return conversationEvidenceAt(hygiene, k, signal);
    case 'Champion_Silent':
      return championAt(hygiene, k, rule.threshold);
  }
}

function slippedAt(hygiene: ColumnHygiene, k: number, threshold: number): string {
  const h = hygiene.history;
  let pushes = 0;
  let firstFrom = NO_DAY;
  let lastTo = NO_DAY;
  let lastOn = NO_DAY;
  let previous = NO_DAY;
  for (let r = h.start[hygiene.view.row[k]!]!; r < hygiene.historyCut[k]!; r++) {
    const close = h.closeDay[r]!;
    if (close === NO_DAY) continue;
    if (previous !== NO_DAY && close > previous) {
      if (pushes++ === 0) firstFrom = previous;
      lastTo = close;
      lastOn = h.day[r]!;
    }
    previous = close;
  }
  return closeDateSlippedEvidence(pushes, threshold, isoDay(firstFrom), isoDay(lastTo), isoDay(lastOn));
}

function skippedAt(hygiene: ColumnHygiene, k: number, threshold: number): string {
  const h = hygiene.history;
  const open = hygiene.context.openStages;
  const least = Math.max(1, threshold);
  const names: string[] = [];
  let jumps = 0;
  let last = -1;
  for (let r = h.start[hygiene.view.row[k]!]! + 1; r < hygiene.historyCut[k]!; r++) {
    const a = hygiene.slotOpen[hygiene.slotOf[h.stage[r - 1]!]!]!;
    const b = hygiene.slotOpen[hygiene.slotOf[h.stage[r]!]!]!;
    if (a < 0 || b < 0 || hygiene.skipped[a * open.length + b]! < least) continue;
    const low = open[a]!.sortOrder;
    const high = open[b]!.sortOrder;
    for (const stage of open)
      if (stage.sortOrder > low && stage.sortOrder < high) names.push(stage.stageName);
    jumps++;
    last = r;
  }
  const from = open[hygiene.slotOpen[hygiene.slotOf[h.stage[last - 1]!]!]!]!.stageName;
  const to = open[hygiene.slotOpen[hygiene.slotOf[h.stage[last]!]!]!]!.stageName;
  return skippedStageEvidence(names, from, to, isoDay(h.day[last]!), jumps);
}

function conversationEvidenceAt(
  hygiene: ColumnHygiene,
  k: number,
  signal: 'Competitor_Present' | 'Pricing_Objection',
): string {
  const view = hygiene.view;
  const c = view.source.conversations;
  const recentDays = hygiene.rules.thresholds.recentConversationDays;
  let count = 0;
  let last = -1;
  const names = new Set<string>();
  for (let r = c.start[view.row[k]!]!; r < hygiene.conversationCut[k]!; r++) {
    if (view.asOfDay - c.day[r]! > recentDays) continue;
    if (signal === 'Pricing_Objection') {
      if (!c.pricingObjection[r]) continue;
    } else {
      if (c.competitorStart[r + 1]! === c.competitorStart[r]!) continue;
      for (let v = c.competitorStart[r]!; v < c.competitorStart[r + 1]!; v++)
        names.add(view.source.strings.value(c.competitor[v]!)!);
    }
    count++;
    last = r;
  }
  const lastDate = isoDay(c.day[last]!);
  return signal === 'Pricing_Objection'
    ? pricingObjectionEvidence(count, recentDays, lastDate)
    : competitorEvidence([...names].sort(), count, recentDays, lastDate);
}

function championAt(hygiene: ColumnHygiene, k: number, threshold: number): string {
  const view = hygiene.view;
  const pool = view.source.strings;
  const c = view.source.conversations;
  const from = c.start[view.row[k]!]!;
  const to = hygiene.conversationCut[k]!;
  let named = -1;
  for (let r = to - 1; r >= from && named < 0; r--) if (c.champion[r] !== NO_STRING) named = r;
  const key = pool.lower(c.champion[named]!);
  let heard = -1;
  for (let r = to - 1; r >= from && heard < 0; r--)
    for (let s = c.speakerStart[r]!; s < c.speakerStart[r + 1]!; s++)
      if (pool.lower(c.speaker[s]!) === key) {
        heard = r;
        break;
      }
  let firstNamed = -1;
  for (let r = from; r < to && firstNamed < 0; r++)
    if (c.champion[r] !== NO_STRING && pool.lower(c.champion[r]!) === key) firstNamed = r;
  const since = heard >= 0 ? heard : firstNamed;
  return championSilentEvidence(
    pool.value(c.champion[named]!)!,
    heard >= 0 ? isoDay(c.day[heard]!) : null,
    isoDay(c.day[firstNamed]!),
    view.asOfDay - c.day[since]!,
    threshold,
  );
}
