/**
 * The pipeline as the hygiene, risk, action and forecast engines see it, whatever it came from: a
 * Salesforce report export, the maven-crm CSV, or SOQL over the REST API. Everything here is plain
 * data so the engines stay pure; readers at the edge (CSV, Salesforce) fill what they know and leave
 * the rest null, and every engine must say "unknown" rather than guess when a field is null.
 *
 * Dates are calendar days, `YYYY-MM-DD`, in the org's time zone as exported.
 */

export interface PipelineOpportunity {
  id: string;
  name: string | null;
  accountId: string | null;
  accountName: string | null;
  /** The owner's name or user id; a rep's queue and win rate key on it. */
  owner: string | null;
  product: string | null;
  /** The stage as the org names it ("Negotiation/Review", maven's "Engaging"). */
  stage: string;
  isClosed: boolean;
  isWon: boolean;
  amount: number | null;
  /** The stage's stated probability on the record, 0..100. */
  probability: number | null;
  forecastCategory: string | null;
  createdDate: string | null;
  closeDate: string | null;
  lastActivityDate: string | null;
  /** When the record entered its current stage, if known (OpportunityHistory or a stage-date field). */
  stageEnteredDate: string | null;
  nextStep: string | null;
  nextStepDate: string | null;
  /** Contact roles on the deal; 1 is single-threaded, null is unknown. */
  contactRoleCount: number | null;
  /** Anything else the source carried, by its original column name, for `--map`ped extras. */
  extra: Readonly<Record<string, string>>;
}

/** One row of OpportunityHistory: the state of a deal from `date` on. */
export interface OpportunityChange {
  opportunityId: string;
  date: string;
  stage: string;
  amount: number | null;
  closeDate: string | null;
  probability: number | null;
  forecastCategory: string | null;
}

export interface PipelineContact {
  id: string;
  accountId: string | null;
  name: string | null;
  email: string | null;
  phone: string | null;
}

/** Engagement by the customer (a price list viewed, a proposal opened, a reply, a call). */
export interface EngagementEvent {
  opportunityId: string;
  date: string;
  /** A name the buying-phase rules know, e.g. `Proposal_Opened`, `Security_Review_Requested`. */
  kind: string;
  /** The person, when known, so "champion silent" can look for the champion. */
  contactId: string | null;
}

/** Signals from processed conversations (issue 2's insights), per deal. */
export interface ConversationSignal {
  opportunityId: string;
  date: string;
  competitors: readonly string[];
  pricingObjection: boolean;
  /** Names of the people on the customer side who spoke or wrote. */
  customerSpeakers: readonly string[];
  champion: string | null;
}

export interface PipelineDataset {
  opportunities: readonly PipelineOpportunity[];
  history: readonly OpportunityChange[];
  contacts: readonly PipelineContact[];
  engagement: readonly EngagementEvent[];
  conversations: readonly ConversationSignal[];
  /**
   * The opportunity fields the source carries (a column in the export, a field in the query). A null
   * in one of these is a blank the rep left (a hygiene finding); a null in any other field is
   * unknown and never flagged. Absent means every nullable field is unknown.
   */
  knownFields?: readonly OpportunityField[];
}

/** The opportunity fields a source may or may not carry. */
export type OpportunityField = Exclude<
  keyof PipelineOpportunity,
  'id' | 'stage' | 'isClosed' | 'isWon' | 'extra'
>;

export const emptyDataset = (): PipelineDataset => ({
  opportunities: [],
  history: [],
  contacts: [],
  engagement: [],
  conversations: [],
});
