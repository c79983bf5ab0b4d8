import type {
  ConversationSignal,
  EngagementEvent,
  OpportunityChange,
  PipelineContact,
  PipelineDataset,
  PipelineOpportunity,
} from '../src/domain/pipeline/records.js';
import type { StageDefinition } from '../src/domain/stages/stage-rules.js';
import { addDays } from '../src/domain/hygiene/calendar-days.js';
import { PipelineColumnsBuilder, type PipelineColumns } from '../src/domain/pipeline/pipeline-columns.js';

/**
 * A seeded synthetic pipeline for the benchmark: opportunities with OpportunityHistory (stage moves,
 * some skipping stages, close dates pushed), contacts with planted duplicates and malformed values,
 * customer engagement and conversation signals. The same seed gives the same pipeline.
 */

/** mulberry32, so every run measures the same data. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const ENGAGEMENT_KINDS = [
  'Webinar_Registered',
  'Content_Downloaded',
  'Demo_Requested',
  'Product_Page_Viewed',
  'Pricing_Page_Viewed',
  'Requirements_Document',
  'Price_List_Viewed',
  'Proposal_Opened',
  'Security_Review_Requested',
  'Trial_Started',
  'Business_Case_Shared',
  'Procurement_Engaged',
  'Email_Opened',
];
const FIRST = [
  'Ana',
  'Ben',
  'Chris',
  'Dana',
  'Eli',
  'Fay',
  'Gus',
  'Hana',
  'Ivan',
  'Jon',
  'Kim',
  'Lee',
  'Mia',
  'Ned',
];
const SYLLABLES = [
  'ka',
  'lo',
  'mi',
  'ren',
  'do',
  'sa',
  'vik',
  'tor',
  'ne',
  'bu',
  'gar',
  'fel',
  'zi',
  'hom',
  'pra',
  'wen',
];
const COMPETITORS = ['Gong', 'Clari', 'Chorus', 'Outreach'];

/** Where the generator puts what it makes: arrays of records, or columns as it goes. */
export interface PipelineSink {
  opportunity(o: PipelineOpportunity): void;
  history(change: OpportunityChange): void;
  engagement(event: EngagementEvent): void;
  conversation(signal: ConversationSignal): void;
  contact(contact: PipelineContact): void;
}

export interface GenerateOptions {
  seed?: number;
  /**
   * Amount and close-date revisions after each stage change (one or two rows, a day apart), as an
   * org that edits its deals writes OpportunityHistory: about ten rows a deal instead of four.
   */
  revisions?: boolean;
  /** Contacts are made after the deals, so leaving them out changes nothing else. */
  contacts?: boolean;
}

const KNOWN_FIELDS: PipelineDataset['knownFields'] = [
  'accountId',
  'accountName',
  'owner',
  'amount',
  'closeDate',
  'nextStep',
  'nextStepDate',
  'contactRoleCount',
  'forecastCategory',
];

export function generatePipeline(
  count: number,
  stages: readonly StageDefinition[],
  asOf: string,
  seed: number | GenerateOptions = 42,
): PipelineDataset {
  const opportunities: PipelineOpportunity[] = [];
  const history: OpportunityChange[] = [];
  const engagement: EngagementEvent[] = [];
  const conversations: ConversationSignal[] = [];
  const contacts: PipelineContact[] = [];
  generateInto(
    {
      opportunity: (o) => opportunities.push(o),
      history: (c) => history.push(c),
      engagement: (e) => engagement.push(e),
      conversation: (c) => conversations.push(c),
      contact: (c) => contacts.push(c),
    },
    count,
    stages,
    asOf,
    typeof seed === 'number' ? { seed } : seed,
  );
  return { opportunities, history, contacts, engagement, conversations, knownFields: KNOWN_FIELDS };
}

/** The same pipeline as {@link generatePipeline}, straight into columns: no record outlives its row. */
export function generatePipelineColumns(
  count: number,
  stages: readonly StageDefinition[],
  asOf: string,
  options: GenerateOptions = {},
): PipelineColumns {
  const builder = new PipelineColumnsBuilder();
  generateInto(builder, count, stages, asOf, options);
  return builder.build(KNOWN_FIELDS);
}

function generateInto(
  sink: PipelineSink,
  count: number,
  stages: readonly StageDefinition[],
  asOf: string,
  { seed = 42, revisions = false, contacts: withContacts = true }: GenerateOptions,
): void {
  const rnd = random(seed);
  const pick = <T>(list: readonly T[]) => list[Math.floor(rnd() * list.length)]!;
  const surname = () => {
    const word = pick(SYLLABLES) + pick(SYLLABLES) + pick(SYLLABLES);
    return word.charAt(0).toUpperCase() + word.slice(1);
  };
  const open = stages.filter((s) => !s.isClosed);
  const won = stages.find((s) => s.isWon)!;
  const lost = stages.find((s) => s.isClosed && !s.isWon)!;
  const reps = Array.from({ length: 200 }, (_, i) => `Rep ${String(i).padStart(3, '0')}`);
  const accounts = Math.max(1, Math.floor(count / 5));

  for (let i = 0; i < count; i++) {
    const id = `006${String(i).padStart(12, '0')}`;
    const created = addDays(asOf, -Math.floor(rnd() * 540));
    const closed = rnd() < 0.55;
    let day = created;
    let stageIndex = 0;
    let closeDate = addDays(created, 30 + Math.floor(rnd() * 120));
    const row = (stage: string, closing = false) => {
      sink.history({
        opportunityId: id,
        date: day,
        stage,
        amount: null,
        closeDate,
        probability: null,
        forecastCategory: null,
      });
      if (!revisions || closing) return;
      for (let r = 1 + Math.floor(rnd() * 2), at = 1; r > 0; r--, at++) {
        const date = addDays(day, at);
        if (date > asOf) break;
        if (rnd() < 0.3) closeDate = addDays(closeDate, 7 + Math.floor(rnd() * 24));
        sink.history({
          opportunityId: id,
          date,
          stage,
          amount: Math.round(Math.exp(8 + rnd() * 4)),
          closeDate,
          probability: null,
          forecastCategory: null,
        });
      }
    };
    row(open[0]!.stageName);
    const moves = 1 + Math.floor(rnd() * 5);
    for (let m = 0; m < moves; m++) {
      const next = addDays(day, 3 + Math.floor(rnd() * 40));
      if (next > asOf) break;
      day = next;
      if (rnd() < 0.2) closeDate = addDays(closeDate, 7 + Math.floor(rnd() * 45));
      stageIndex = Math.min(open.length - 1, stageIndex + (rnd() < 0.1 ? 2 : 1));
      row(open[stageIndex]!.stageName);
    }
    let stage = open[stageIndex]!;
    if (closed) {
      const next = addDays(day, 5 + Math.floor(rnd() * 30));
      if (next <= asOf) {
        day = next;
        stage = rnd() < 0.4 ? won : lost;
        row(stage.stageName, true);
      }
    }
    const lastActivity = rnd() < 0.9 ? addDays(asOf, -Math.floor(rnd() * 90)) : null;
    sink.opportunity({
      id,
      name: `Deal ${i}`,
      accountId: `001${String(i % accounts).padStart(12, '0')}`,
      accountName: `Account ${i % accounts}`,
      owner: pick(reps),
      product: pick(['Core', 'Plus', 'Enterprise']),
      stage: stage.stageName,
      isClosed: stage.isClosed,
      isWon: stage.isWon,
      amount: rnd() < 0.95 ? Math.round(Math.exp(8 + rnd() * 4)) : null,
      probability: stage.defaultProbability,
      forecastCategory: rnd() < 0.9 ? 'Pipeline' : null,
      createdDate: created,
      closeDate: stage.isClosed ? day : closeDate,
      lastActivityDate: lastActivity && lastActivity >= created ? lastActivity : null,
      stageEnteredDate: null,
      nextStep: rnd() < 0.8 ? 'Follow-up call' : null,
      nextStepDate: rnd() < 0.5 ? addDays(asOf, Math.floor(rnd() * 20) - 5) : null,
      contactRoleCount: Math.floor(rnd() * 5),
      extra: {},
    });
    for (let e = Math.floor(rnd() * 4); e > 0; e--) {
      sink.engagement({
        opportunityId: id,
        date: addDays(asOf, -Math.floor(rnd() * 60)),
        kind: pick(ENGAGEMENT_KINDS),
        contactId: null,
      });
    }
    if (rnd() < 0.5) {
      const champion = `${pick(FIRST)} ${surname()}`;
      sink.conversation({
        opportunityId: id,
        date: addDays(asOf, -Math.floor(rnd() * 60)),
        competitors: rnd() < 0.3 ? [pick(COMPETITORS)] : [],
        pricingObjection: rnd() < 0.2,
        customerSpeakers: rnd() < 0.5 ? [champion] : [],
        champion,
      });
    }
  }

  if (!withContacts) return;
  let last: PipelineContact | null = null;
  const contactCount = Math.round(count * 1.5);
  for (let c = 0; c < contactCount; c++) {
    const name = `${pick(FIRST)} ${surname()}`;
    const accountId = `001${String(Math.floor(rnd() * accounts)).padStart(12, '0')}`;
    const roll = rnd();
    last = {
      id: `003${String(c).padStart(12, '0')}`,
      accountId,
      name,
      email: roll < 0.01 ? `${name.replace(/\s/g, '.')}@example` : `c${c}@example.com`,
      phone: roll > 0.99 ? 'call me' : `+1 415 555 ${String(c % 10000).padStart(4, '0')}`,
    };
    sink.contact(last);
    if (rnd() < 0.02) {
      sink.contact({
        ...last,
        id: `003D${String(c).padStart(11, '0')}`,
        name: last.name!.replace(/^(\w+)/, '$1n'),
      });
    }
  }
}
