import type {
  ConversationSignal,
  EngagementEvent,
  OpportunityChange,
  PipelineDataset,
  PipelineOpportunity,
} from './records.js';
import { NO_DAY, type PipelineColumns } from './pipeline-columns.js';
import { isoDay } from '../hygiene/calendar-days.js';

/**
 * The columns back as records, for the record engines the column engines are held to. Rows come
 * grouped by opportunity, oldest first, which every engine reads the same as the export's order;
 * the opportunities' extra columns are not kept in columns, so they come back empty.
 */
export function datasetOf(columns: PipelineColumns): PipelineDataset {
  const { strings: s, ids, opportunities: o, history: h, engagement: e, conversations: c } = columns;
  const date = (d: number) => (d === NO_DAY ? null : isoDay(d));
  const value = (x: number) => (Number.isNaN(x) ? null : x);
  const opportunities: PipelineOpportunity[] = new Array(o.count);
  const history: OpportunityChange[] = [];
  const engagement: EngagementEvent[] = [];
  const conversations: ConversationSignal[] = [];
  const names = (start: Int32Array, values: Uint32Array, r: number) => {
    const out: string[] = [];
    for (let v = start[r]!; v < start[r + 1]!; v++) out.push(s.value(values[v]!)!);
    return out;
  };
  for (let i = 0; i < o.count; i++) {
    const id = ids.value(o.id[i]!)!;
    opportunities[i] = {
      id,
      name: s.value(o.name[i]!),
      accountId: s.value(o.accountId[i]!),
      accountName: s.value(o.accountName[i]!),
      owner: s.value(o.owner[i]!),
      product: s.value(o.product[i]!),
      stage: s.value(o.stage[i]!)!,
      isClosed: o.isClosed[i] === 1,
      isWon: o.isWon[i] === 1,
      amount: value(o.amount[i]!),
      probability: value(o.probability[i]!),
      forecastCategory: s.value(o.forecastCategory[i]!),
      createdDate: date(o.createdDay[i]!),
      closeDate: date(o.closeDay[i]!),
      lastActivityDate: date(o.lastActivityDay[i]!),
      stageEnteredDate: date(o.stageEnteredDay[i]!),
      nextStep: s.value(o.nextStep[i]!),
      nextStepDate: date(o.nextStepDay[i]!),
      contactRoleCount: value(o.contactRoleCount[i]!),
      extra: {},
    };
    for (let r = h.start[i]!; r < h.start[i + 1]!; r++) {
      history.push({
        opportunityId: id,
        date: isoDay(h.day[r]!),
        stage: s.value(h.stage[r]!)!,
        amount: value(h.amount[r]!),
        closeDate: date(h.closeDay[r]!),
        probability: value(h.probability[r]!),
        forecastCategory: s.value(h.forecastCategory[r]!),
      });
    }
    for (let r = e.start[i]!; r < e.start[i + 1]!; r++)
      engagement.push({
        opportunityId: id,
        date: isoDay(e.day[r]!),
        kind: s.value(e.kind[r]!)!,
        contactId: null,
      });
    for (let r = c.start[i]!; r < c.start[i + 1]!; r++) {
      conversations.push({
        opportunityId: id,
        date: isoDay(c.day[r]!),
        competitors: names(c.competitorStart, c.competitor, r),
        pricingObjection: c.pricingObjection[r] === 1,
        customerSpeakers: names(c.speakerStart, c.speaker, r),
        champion: s.value(c.champion[r]!),
      });
    }
  }
  return {
    opportunities,
    history,
    contacts: columns.contacts,
    engagement,
    conversations,
    ...(columns.knownFields ? { knownFields: [...columns.knownFields] } : {}),
  };
}
