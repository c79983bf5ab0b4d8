import { createHash } from 'node:crypto';
import { z } from 'zod';
import type { HeldReview, PipelineReview, ReviewOwner } from '../../domain/review/team-review.js';
import type { RecordValue } from '../../domain/writeback/field-values.js';
import type { SalesforceApi } from './salesforce-client.js';
import type { RecordWrite } from './pipeline-write.js';
import { allPages, queryPath, queryResultOf, soqlList, soqlString } from './responses.js';
import { ID_CHUNK, SALESFORCE_ID } from './pipeline-read.js';

/**
 * The weekly reviews as Pipeline_Review__c records: one per rep and week, owned by the rep, and one
 * per manager and week for the team, owned by the manager, so the org's sharing decides who reads
 * which (a rep their own; a manager, above the reps in the role hierarchy, the team's too).
 *
 * Why one record with a JSON body rather than child rows per deal and per list: the review is a
 * snapshot read whole by one page, never filtered or reported on by its items; the figures a report
 * needs (totals, weighted, expected this month and quarter, confidence, counts) are fields of their
 * own. One record per review keeps a scan of a 50-rep org at one upsert call, where child rows would
 * be thousands of records, their deletes and their sharing. The body carries its `version`
 * (REVIEW_CONTENT_VERSION) so the page can refuse a shape it does not know instead of misreading it.
 */

/** Long Text Area's most characters (Content__c is defined with it). */
export const CONTENT_MAX_CHARS = 131_072;
const SUMMARY_MAX_CHARS = 1000;
const NAME_MAX_CHARS = 80;
/** What a manager reads in one sitting; the deals list carries every deal that fits. */
const LIST_LIMITS = { keyRisks: 8, helpNeeded: 10, nextSteps: 15, closeOut: 20 } as const;

export const REVIEW_FIELDS = [
  'Name',
  'Scope__c',
  'OwnerId',
  'Manager__c',
  'Week_Start__c',
  'As_Of_Date__c',
  'Computed_At__c',
  'Run_Id__c',
  'Status_Summary__c',
  'Confidence__c',
  'Open_Deals__c',
  'At_Risk_Deals__c',
  'Close_Out_Deals__c',
  'Total_Pipeline__c',
  'Weighted_Pipeline__c',
  'Expected_This_Month__c',
  'Expected_This_Quarter__c',
  'Content__c',
  'Content_Hash__c',
] as const;

export const reviewKey = (review: Pick<PipelineReview, 'scope' | 'subject' | 'weekStart'>) =>
  `${review.scope.toLowerCase()}:${review.subject.userId}:${review.weekStart}`;

/** The review's body, its lists cut to what a manager reads and its deals to what fits the field. */
export function reviewContent(review: PipelineReview, maxChars = CONTENT_MAX_CHARS): string {
  const omitted = { keyRisks: 0, helpNeeded: 0, nextSteps: 0, closeOut: 0, deals: 0 };
  const bounded: PipelineReview & { omitted: typeof omitted } = { ...review, omitted };
  for (const list of Object.keys(LIST_LIMITS) as (keyof typeof LIST_LIMITS)[]) {
    omitted[list] = Math.max(0, review[list].length - LIST_LIMITS[list]);
    (bounded[list] as unknown[]) = review[list].slice(0, LIST_LIMITS[list]);
  }
  // Deals are riskiest first, so the ones left out are the healthiest. Each deal is measured once,
  // and only until the field is full, so a team of thousands of deals is never stringified whole.
  const room =
    maxChars -
    JSON.stringify({ ...bounded, deals: [], omitted: { ...omitted, deals: review.deals.length } }).length;
  let keep = 0;
  let used = 0;
  for (const deal of review.deals) {
    const size = JSON.stringify(deal).length + (keep > 0 ? 1 : 0);
    if (used + size > room) break;
    used += size;
    keep++;
  }
  bounded.deals = keep === review.deals.length ? review.deals : review.deals.slice(0, keep);
  omitted.deals = review.deals.length - keep;
  const text = JSON.stringify(bounded);
  if (text.length > maxChars) throw new Error(`the review ${reviewKey(review)} does not fit Content__c`);
  return text;
}

const roundMoney = (n: number) => Math.round(n * 100) / 100;

export function reviewWrite(review: PipelineReview, runId: string, computedAt: string): RecordWrite {
  const content = reviewContent(review);
  const who = review.subject.name ?? review.subject.userId;
  const fields: Record<string, RecordValue> = {
    Name: `${who}${review.scope === 'Team' ? "'s team" : ''}, week of ${review.weekStart}`.slice(
      0,
      NAME_MAX_CHARS,
    ),
    Scope__c: review.scope,
    OwnerId: review.subject.userId,
    Manager__c: review.managerId,
    Week_Start__c: review.weekStart,
    As_Of_Date__c: review.asOf,
    Computed_At__c: computedAt,
    Run_Id__c: runId,
    Status_Summary__c: review.statusSummary.slice(0, SUMMARY_MAX_CHARS),
    Confidence__c: review.confidence.level,
    Open_Deals__c: review.pipeline.openDeals,
    At_Risk_Deals__c: review.deals.filter((d) => d.status === 'At risk').length,
    Close_Out_Deals__c: review.closeOut.length,
    Total_Pipeline__c: roundMoney(review.pipeline.total),
    Weighted_Pipeline__c: roundMoney(review.pipeline.weighted),
    Expected_This_Month__c: roundMoney(review.pipeline.thisMonth.weighted),
    Expected_This_Quarter__c: roundMoney(review.pipeline.thisQuarter.weighted),
    Content__c: content,
    Content_Hash__c: contentHash(content),
  };
  return { key: reviewKey(review), fields };
}

/** Fingerprint of a review's body: a scan that finds the week's review unchanged writes nothing. */
export const contentHash = (content: string) => createHash('sha256').update(content).digest('hex');

const UserRow = z.looseObject({
  Id: z.string(),
  Name: z.string().nullish(),
  ManagerId: z.string().nullish(),
  Manager: z.looseObject({ Name: z.string().nullish() }).nullish(),
});
const HeldRow = z.looseObject({
  Review_Key__c: z.string(),
  Scope__c: z.enum(['Rep', 'Team']),
  OwnerId: z.string(),
  Content_Hash__c: z.string().nullish(),
});

async function query<T extends z.ZodTypeAny>(
  api: SalesforceApi,
  soql: string,
  row: T,
): Promise<z.infer<T>[]> {
  const parsed = queryResultOf(row).safeParse(await allPages(api, await api.get(queryPath(soql))));
  if (!parsed.success) {
    throw new Error(
      `Salesforce's answer to a review query does not have the expected shape: ${parsed.error.issues[0]?.message}`,
    );
  }
  return parsed.data.records;
}

/** The deals' owners with their managers, read in chunks of ids (never user text in the SOQL). */
export async function readReviewOwners(
  api: SalesforceApi,
  ownerIds: Iterable<string>,
): Promise<Map<string, ReviewOwner>> {
  const ids = [...new Set(ownerIds)].filter((id) => SALESFORCE_ID.test(id)).sort();
  const owners = new Map<string, ReviewOwner>();
  for (let i = 0; i < ids.length; i += ID_CHUNK) {
    const rows = await query(
      api,
      `SELECT Id, Name, ManagerId, Manager.Name FROM User WHERE Id IN (${soqlList(ids.slice(i, i + ID_CHUNK))})`,
      UserRow,
    );
    for (const u of rows) {
      owners.set(u.Id, {
        userId: u.Id,
        name: u.Name ?? null,
        managerId: u.ManagerId ?? null,
        managerName: u.Manager?.Name ?? null,
      });
    }
  }
  return owners;
}

/** The week's reviews the org already holds, by review key: whom each is about, and its fingerprint. */
export async function readHeldReviews(
  api: SalesforceApi,
  weekStart: string,
): Promise<Map<string, HeldReview & { hash: string | null }>> {
  const rows = await query(
    api,
    `SELECT Review_Key__c, Scope__c, OwnerId, Content_Hash__c FROM Pipeline_Review__c WHERE Week_Start__c = ${weekStartLiteral(weekStart)} AND Review_Key__c != null`,
    HeldRow,
  );
  return new Map(
    rows.map((r) => [
      r.Review_Key__c,
      { scope: r.Scope__c, userId: r.OwnerId, hash: r.Content_Hash__c ?? null },
    ]),
  );
}

/** A date literal is unquoted in SOQL; the day is checked to be one, so nothing else reaches the query. */
function weekStartLiteral(day: string): string {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(day)) throw new Error(`not a day: ${soqlString(day)}`);
  return day;
}
