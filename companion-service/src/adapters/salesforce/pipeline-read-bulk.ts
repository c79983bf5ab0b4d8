import { z } from 'zod';
import type { PipelineRules } from '../../domain/hygiene/pipeline-rules.js';
import type { OrgSnapshot } from './org-rules.js';
import type { CompositeSubresponse, SalesforceApi } from './salesforce-client.js';
import { allPages, bodyOf, queryPath } from './responses.js';
import { bulkQueries, typedRows, type CsvRow, type PollOptions } from './bulk-api.js';
import {
  ActionRow,
  ActivityRow,
  ContactRow,
  ConversationRow,
  HistoryRow,
  OpportunityRow,
  parse,
  type Chunk,
} from './pipeline-read-rows.js';

/**
 * The pipeline read past the Bulk Threshold: the same deals' queries as Bulk API 2.0 query jobs,
 * made side by side and waited for together (bulk-api.ts), their CSV rows typed and nested as REST
 * answers them, so the rest of the read cannot tell the two apart.
 */

const NUMERIC_KINDS = new Set(['double', 'percent', 'currency', 'int']);

/**
 * The deals' queries as Bulk API 2.0 takes them: no parent-to-child subquery (contact roles are
 * their own query) and no ORDER BY, which turns off the platform's chunking of large queries
 * (queries.htm in the Bulk API 2.0 guide); rows are sorted here as the REST read sorts them.
 */
function bulkDealQueries(
  where: string,
  rest: Record<string, string>,
  ai: readonly string[],
): Record<string, string> {
  const strip = (soql: string) => soql.replace(/\s+ORDER BY [\s\S]*$/, '');
  return {
    opportunities: `SELECT Id, Name, AccountId, Account.Name, OwnerId, Owner.Name, StageName, IsClosed, IsWon,
      Amount, Probability, ForecastCategoryName, CreatedDate, CloseDate, LastActivityDate, LastStageChangeDate,
      NextStep${ai.length ? `, ${ai.join(', ')}` : ''} FROM Opportunity WHERE ${where}`,
    contactRoles: `SELECT Id, OpportunityId FROM OpportunityContactRole
      WHERE OpportunityId IN (SELECT Id FROM Opportunity WHERE ${where})`,
    ...Object.fromEntries(
      Object.entries(rest)
        .filter(([ref]) => ref !== 'opportunities')
        .map(([ref, soql]) => [ref, strip(soql)]),
    ),
  };
}

const byKeys =
  <T>(...keys: ((row: T) => string)[]) =>
  (a: T, b: T) => {
    for (const key of keys) {
      const [x, y] = [key(a), key(b)];
      if (x !== y) return x < y ? -1 : 1;
    }
    return 0;
  };

export interface BulkReadInput {
  where: string;
  snapshot: OrgSnapshot;
  rules: PipelineRules;
  /** The REST read's queries of the same deals, which the bulk ones follow. */
  restQueries: Record<string, string>;
  /** The scan's Opportunity fields this org has. */
  aiFields: readonly string[];
  options: { poll?: PollOptions; alongside?: Record<string, string> };
  /** From this many rows on, a query runs as a job (the Bulk Threshold). */
  threshold: number;
  /** The REST read's first composite call, which holds the history query's first page. */
  answered: CompositeSubresponse[];
  /** Filled with the rows of `options.alongside`. */
  alongside: Map<string, CsvRow[]>;
}

const QUERIES_PER_COMPOSITE = 5;

/** Queries probed over REST before the read decides which go as jobs; five to a composite call. */
const PROBED = ['contactRoles', 'contacts', 'tasks', 'events', 'conversations', 'actions'] as const;

/**
 * The deals of `where`, each query where its size says: the deals themselves as a query job; every
 * other query first over REST, five to a composite call (`history` already came with the deals'
 * count), and kept there when its first page's totalSize is under the threshold (paged on if need
 * be), else run as a query job beside the deals'. Contacts, activities and actions vary by org far
 * more than deals do, and a small result costs a share of one call this way against two calls and
 * a poll as a job.
 */
export async function readChunkInBulk(api: SalesforceApi, input: BulkReadInput): Promise<Chunk> {
  const { where, snapshot, rules, options, alongside } = input;
  const soql = bulkDealQueries(where, input.restQueries, input.aiFields);
  const overRest = new Map<string, unknown[]>();
  const inBulk: Record<string, string> = { opportunities: soql.opportunities! };
  const weigh = async (name: string, body: unknown) => {
    const total = (body as { totalSize?: unknown } | null)?.totalSize;
    if (typeof total === 'number' && total >= input.threshold) inBulk[name] = soql[name]!;
    else overRest.set(name, ((await allPages(api, body)) as { records: unknown[] }).records);
  };
  await weigh('history', bodyOf(input.answered, 'history', z.unknown()));
  for (let i = 0; i < PROBED.length; i += QUERIES_PER_COMPOSITE) {
    const batch = PROBED.slice(i, i + QUERIES_PER_COMPOSITE);
    const answered = await api.composite(
      batch.map((name) => ({ method: 'GET', referenceId: name, path: queryPath(soql[name]!) })),
      false,
    );
    for (const name of batch) await weigh(name, bodyOf(answered, name, z.unknown()));
  }
  const extra = Object.fromEntries(
    Object.entries(options.alongside ?? {}).map(([k, q]) => [`alongside:${k}`, q]),
  );
  const jobs = await bulkQueries(
    api,
    { ...inBulk, ...extra },
    options.poll ?? {},
    new Set(Object.keys(extra)),
  );
  for (const name of Object.keys(options.alongside ?? {})) {
    const found = jobs.get(`alongside:${name}`);
    if (found) alongside.set(name, found);
  }
  /** A query's rows as REST answers them, from whichever API read them. */
  const rows = (name: string, kinds: Parameters<typeof typedRows>[1] = {}): unknown[] =>
    overRest.get(name) ?? typedRows(jobs.get(name) ?? [], kinds);
  const fieldsOfKind = (test: (type: string) => boolean) =>
    input.aiFields.filter((f) => {
      const type = snapshot.opportunityFields[f]?.type;
      return type !== undefined && test(type);
    });
  const roles = new Map<string, { Id: string }[]>();
  for (const role of rows('contactRoles') as { Id?: string; OpportunityId?: string }[]) {
    const list = roles.get(role.OpportunityId ?? '') ?? [];
    list.push({ Id: role.Id ?? '' });
    roles.set(role.OpportunityId ?? '', list);
  }
  const opportunities = typedRows(jobs.get('opportunities') ?? [], {
    numbers: ['Amount', 'Probability', ...fieldsOfKind((t) => NUMERIC_KINDS.has(t))],
    booleans: ['IsClosed', 'IsWon', ...fieldsOfKind((t) => t === 'boolean')],
  }).map((o) => ({ ...o, OpportunityContactRoles: { records: roles.get(String(o.Id)) ?? [] } }));
  const list = <T extends z.ZodTypeAny>(row: T, values: unknown[], what: string) =>
    parse(z.array(row), values, what) as z.infer<T>[];
  const activities = list(ActivityRow, rows('tasks'), 'tasks');
  for (const event of list(ActivityRow, rows('events'), 'events')) activities.push(event);
  return {
    opportunities: list(OpportunityRow, opportunities, 'opportunities').sort(byKeys((o) => o.Id)),
    history: list(HistoryRow, rows('history', { numbers: ['Amount', 'Probability'] }), 'history').sort(
      byKeys(
        (h) => h.OpportunityId,
        (h) => h.CreatedDate,
      ),
    ),
    contacts: list(ContactRow, rows('contacts'), 'contacts').sort(byKeys((c) => c.Id)),
    activities,
    conversations: list(ConversationRow, rows('conversations'), 'conversations'),
    actions: list(ActionRow, rows('actions', { numbers: ['Rank__c'] }), 'actions'),
    rules,
  };
}
