import { z } from 'zod';
import type { PipelineRules } from '../../domain/hygiene/pipeline-rules.js';
import type { OrgSnapshot } from './org-rules.js';
import type { SalesforceApi } from './salesforce-client.js';
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
  /** Filled with the rows of `options.alongside`. */
  alongside: Map<string, CsvRow[]>;
}

/** The deals of `where` read with query jobs side by side, as the REST read would have shaped them. */
export async function readChunkInBulk(api: SalesforceApi, input: BulkReadInput): Promise<Chunk> {
  const { where, snapshot, rules, options, alongside } = input;
  const extra = Object.fromEntries(
    Object.entries(options.alongside ?? {}).map(([k, q]) => [`alongside:${k}`, q]),
  );
  const rows = await bulkQueries(
    api,
    { ...bulkDealQueries(where, input.restQueries, input.aiFields), ...extra },
    options.poll ?? {},
    new Set(Object.keys(extra)),
  );
  for (const name of Object.keys(options.alongside ?? {})) {
    const found = rows.get(`alongside:${name}`);
    if (found) alongside.set(name, found);
  }
  const fieldsOfKind = (test: (type: string) => boolean) =>
    input.aiFields.filter((f) => {
      const type = snapshot.opportunityFields[f]?.type;
      return type !== undefined && test(type);
    });
  const roles = new Map<string, { Id: string }[]>();
  for (const role of rows.get('contactRoles') ?? []) {
    const list = roles.get(role.OpportunityId ?? '') ?? [];
    list.push({ Id: role.Id ?? '' });
    roles.set(role.OpportunityId ?? '', list);
  }
  const opportunities = typedRows(rows.get('opportunities') ?? [], {
    numbers: ['Amount', 'Probability', ...fieldsOfKind((t) => NUMERIC_KINDS.has(t))],
    booleans: ['IsClosed', 'IsWon', ...fieldsOfKind((t) => t === 'boolean')],
  }).map((o) => ({ ...o, OpportunityContactRoles: { records: roles.get(String(o.Id)) ?? [] } }));
  const list = <T extends z.ZodTypeAny>(row: T, values: unknown[], what: string) =>
    parse(z.array(row), values, what) as z.infer<T>[];
  return {
    opportunities: list(OpportunityRow, opportunities, 'opportunities').sort(byKeys((o) => o.Id)),
    history: list(
      HistoryRow,
      typedRows(rows.get('history') ?? [], { numbers: ['Amount', 'Probability'] }),
      'history',
    ).sort(
      byKeys(
        (h) => h.OpportunityId,
        (h) => h.CreatedDate,
      ),
    ),
    contacts: list(ContactRow, typedRows(rows.get('contacts') ?? []), 'contacts').sort(byKeys((c) => c.Id)),
    activities: [
      ...list(ActivityRow, typedRows(rows.get('tasks') ?? []), 'tasks'),
      ...list(ActivityRow, typedRows(rows.get('events') ?? []), 'events'),
    ],
    conversations: list(ConversationRow, typedRows(rows.get('conversations') ?? []), 'conversations'),
    actions: list(ActionRow, typedRows(rows.get('actions') ?? [], { numbers: ['Rank__c'] }), 'actions'),
    rules,
  };
}
