import { randomBytes } from 'node:crypto';
import { parseSoql } from '../soql/parser.js';
import { runQuery } from '../soql/evaluate.js';
import { malformedQuery, SalesforceError } from './errors.js';
import { visibleSchema, type OrgContext, type QueryCursor, type RestResponse } from './context.js';
import type { QueryContext } from '../soql/evaluate.js';

/**
 * The query resource: runs SOQL and pages the result as Salesforce does.
 *
 * - A batch holds up to 2,000 rows by default, or `Sforce-Query-Options: batchSize=N` between 200 and
 *   2,000; child rows count toward the batch, so a page of parents with many children holds fewer
 *   parents (always at least one).
 *   https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/headers_queryoptions.htm
 * - When rows remain, the page says `done: false` and gives `nextRecordsUrl`
 *   (`/services/data/vXX.X/query/<locator>-<offset>`), to be read with GET.
 *   https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/resources_query_more_results.htm
 * - A child relationship's rows are paged separately: a parent row whose child result has more rows
 *   than its first batch carries that child result with `done: false` and its own `nextRecordsUrl`.
 *   The platform does not document the size of that first batch; clients have seen 199 of 257 and 499
 *   of 1,200 rows, so the local org gives the smaller, 200
 *   (https://developer.salesforce.com/docs/atlas.en-us.224.0.soql_sosl.meta/soql_sosl/sforce_api_calls_soql_relationships_query_results.htm,
 *   https://github.com/jsforce/jsforce/pull/1752, https://github.com/simple-salesforce/simple-salesforce/issues/311).
 * - A locator serves once, expires after 15 minutes without use, and a user holds at most ten query
 *   cursors: opening an eleventh releases the oldest. A used, expired or released locator answers
 *   400 INVALID_QUERY_LOCATOR. (Child cursors live as long as they are used and are not counted.)
 *   https://developer.salesforce.com/docs/atlas.en-us.234.0.api.meta/api/sforce_api_calls_query_querylocator.htm
 */

export const CHILD_BATCH_SIZE = 200;
const MAX_CURSORS_PER_USER = 10;
const CURSOR_IDLE_MS = 15 * 60_000;
const MAX_CHILD_CURSORS = 100_000;

function batchSizeOf(ctx: OrgContext, header: string | undefined): number {
  const requested = /batchSize=(\d+)/i.exec(header ?? '')?.[1];
  if (!requested) return ctx.queryBatchSize;
  return Math.min(2000, Math.max(200, Number(requested)));
}

const newLocator = () => `01g${randomBytes(8).toString('hex').toUpperCase().slice(0, 15)}`;

function isQueryResult(value: unknown): value is { totalSize: number; done: boolean; records: unknown[] } {
  return (
    value !== null &&
    typeof value === 'object' &&
    Array.isArray((value as { records?: unknown }).records) &&
    typeof (value as { done?: unknown }).done === 'boolean'
  );
}

/** How many rows a parent row takes in a batch: itself and the first batch of each child result. */
function weightOf(record: Record<string, unknown>): number {
  let weight = 1;
  for (const value of Object.values(record)) {
    if (isQueryResult(value)) weight += Math.min(value.records.length, CHILD_BATCH_SIZE);
  }
  return weight;
}

function dropExpired(ctx: OrgContext): void {
  const now = ctx.now();
  for (const [locator, cursor] of ctx.cursors) {
    if (now - cursor.lastUsed > CURSOR_IDLE_MS) ctx.cursors.delete(locator);
  }
}

function openCursor(
  ctx: OrgContext,
  locator: string,
  cursor: Omit<QueryCursor, 'userId' | 'lastUsed'>,
): string {
  if (cursor.child) {
    if (ctx.cursors.size >= MAX_CHILD_CURSORS) ctx.cursors.delete(ctx.cursors.keys().next().value!);
  } else {
    const own = [...ctx.cursors].filter(([, c]) => !c.child && c.userId === ctx.userId);
    if (own.length >= MAX_CURSORS_PER_USER) ctx.cursors.delete(own[0]![0]);
  }
  ctx.cursors.set(locator, { ...cursor, userId: ctx.userId, lastUsed: ctx.now() });
  return `/services/data/v${ctx.apiVersion}/query/${locator}`;
}

/** A parent row as one page shows it: child results beyond their first batch get their own cursor. */
function withChildPages(ctx: OrgContext, record: Record<string, unknown>): Record<string, unknown> {
  let out = record;
  for (const [key, value] of Object.entries(record)) {
    if (!isQueryResult(value) || value.records.length <= CHILD_BATCH_SIZE) continue;
    const rows = value.records as Record<string, unknown>[];
    const nextRecordsUrl = openCursor(ctx, `${newLocator()}-${CHILD_BATCH_SIZE}`, {
      records: rows,
      totalSize: value.totalSize,
      next: CHILD_BATCH_SIZE,
      child: true,
    });
    if (out === record) out = { ...record };
    out[key] = {
      totalSize: value.totalSize,
      done: false,
      nextRecordsUrl,
      records: rows.slice(0, CHILD_BATCH_SIZE),
    };
  }
  return out;
}

function page(
  ctx: OrgContext,
  locatorBase: string,
  records: Record<string, unknown>[],
  totalSize: number,
  from: number,
  batchSize: number,
  child: boolean,
) {
  let to = from;
  let used = 0;
  while (to < records.length) {
    const weight = child ? 1 : weightOf(records[to]!);
    if (to > from && used + weight > batchSize) break;
    used += weight;
    to++;
  }
  const done = to >= records.length;
  const rows = records.slice(from, to);
  const body: Record<string, unknown> = {
    totalSize,
    done,
    records: child ? rows : rows.map((r) => withChildPages(ctx, r)),
  };
  if (!done) {
    body.nextRecordsUrl = openCursor(ctx, `${locatorBase}-${to}`, { records, totalSize, next: to, child });
  }
  return body;
}

interface ColumnMetadata {
  aggregate: boolean;
  columnName: string;
  displayName: string;
  joinColumns: ColumnMetadata[];
}

const column = (name: string, aggregate = false, joinColumns: ColumnMetadata[] = []): ColumnMetadata => ({
  aggregate,
  columnName: name,
  displayName: name,
  joinColumns,
});

/** Nests `Account.Owner.Name` as Account → Owner → Name, merging paths through the same parent. */
function addPath(columns: ColumnMetadata[], path: string[]): void {
  const [head, ...rest] = path;
  if (!head) return;
  let existing = columns.find((c) => c.columnName === head && !c.aggregate);
  if (!existing) {
    existing = column(head);
    columns.push(existing);
  }
  addPath(existing.joinColumns, rest);
}

/**
 * What a query runs against: the user's view of the schema (an object or field they cannot read is
 * INVALID_TYPE / INVALID_FIELD exactly as one that does not exist) and only the records they can see.
 * https://developer.salesforce.com/docs/atlas.en-us.258.0.object_reference.meta/object_reference/obj_ref_data_access.htm
 */
export function queryContext(ctx: OrgContext, includeDeleted: boolean): QueryContext {
  const access = ctx.access;
  return {
    schema: visibleSchema(ctx),
    store: ctx.store,
    apiVersion: ctx.apiVersion,
    now: ctx.now(),
    includeDeleted,
    visible: access ? (object, record) => access.canRead(object, record) : undefined,
  };
}

/** `columns=true`: what the query selects, as the Salesforce CLI reads it to lay out its table. */
function queryColumns(ctx: OrgContext, soql: string): RestResponse {
  const query = parseSoql(soql);
  runQuery(queryContext(ctx, false), { ...query, limit: 0 });
  const columns: ColumnMetadata[] = [];
  for (const item of query.select) {
    if (item.kind === 'field') addPath(columns, item.path);
    else if (item.kind === 'count') columns.push(column('expr0', true));
    else {
      const children: ColumnMetadata[] = [];
      for (const sub of item.query.select) if (sub.kind === 'field') addPath(children, sub.path);
      columns.push(column(item.query.from, true, children));
    }
  }
  const object = visibleSchema(ctx).object(query.from)!;
  return {
    status: 200,
    body: {
      columnMetadata: columns,
      entityName: object.name,
      groupBy: false,
      idSelected: columns.some((c) => c.columnName === 'Id'),
      keyPrefix: object.keyPrefix,
    },
  };
}

/**
 * A query's unknown field or object is reported as Salesforce does: the line of the query, a caret
 * under the name and `ERROR at Row:R:Column:C` before the message, e.g.
 * `[{"message":"\nselect Id, SF_date__c from Lead\n           ^\nERROR at Row:1:Column:12\nNo such column 'SF_date__c' on entity 'Lead'. ...","errorCode":"INVALID_FIELD"}]`
 * (https://github.com/mautic/mautic/pull/13406, https://github.com/forcedotcom/soql-tooling/issues/86).
 */
export function pointedAt(error: unknown, soql: string): unknown {
  if (!(error instanceof SalesforceError) || error.message.startsWith('\n')) return error;
  if (error.errorCode !== 'INVALID_FIELD' && error.errorCode !== 'INVALID_TYPE') return error;
  const name = /'([^']+)'/.exec(error.message)?.[1];
  if (!name) return error;
  const escaped = name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const lines = soql.split('\n');
  for (const [row, line] of lines.entries()) {
    // eslint-disable-next-line security/detect-non-literal-regexp -- the name is escaped before it is put in the pattern
    const at = new RegExp(`(^|[^\\w])(${escaped})(?![\\w])`, 'i').exec(line);
    if (!at) continue;
    const column = at.index + at[1]!.length + 1;
    return new SalesforceError(
      error.errorCode,
      `\n${line}\n${' '.repeat(column - 1)}^\nERROR at Row:${row + 1}:Column:${column}\n${error.message}`,
      error.fields,
      error.status,
    );
  }
  return error;
}

export function runSoql(
  ctx: OrgContext,
  soql: string | null,
  includeDeleted: boolean,
  optionsHeader?: string,
  columnsOnly = false,
): RestResponse {
  if (!soql) throw malformedQuery('the q parameter with a SOQL statement is required');
  let output: ReturnType<typeof runQuery>;
  try {
    if (columnsOnly) return queryColumns(ctx, soql);
    output = runQuery(queryContext(ctx, includeDeleted), parseSoql(soql));
  } catch (error) {
    throw pointedAt(error, soql);
  }
  dropExpired(ctx);
  return {
    status: 200,
    body: page(
      ctx,
      newLocator(),
      output.records,
      output.totalSize,
      0,
      batchSizeOf(ctx, optionsHeader),
      false,
    ),
  };
}

export function nextPage(ctx: OrgContext, locator: string, optionsHeader?: string): RestResponse {
  dropExpired(ctx);
  const cursor = ctx.cursors.get(locator);
  // Another user's locator is as unknown to this one as an expired one.
  if (!cursor || cursor.userId !== ctx.userId) {
    throw new SalesforceError('INVALID_QUERY_LOCATOR', 'invalid query locator', [], 400);
  }
  ctx.cursors.delete(locator);
  const base = locator.replace(/-\d+$/, '');
  const batchSize = batchSizeOf(ctx, optionsHeader);
  return {
    status: 200,
    body: page(ctx, base, cursor.records, cursor.totalSize, cursor.next, batchSize, cursor.child),
  };
}
