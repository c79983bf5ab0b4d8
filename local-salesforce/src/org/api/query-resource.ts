import { randomBytes } from 'node:crypto';
import { parseSoql } from '../soql/parser.js';
import { runQuery } from '../soql/evaluate.js';
import { malformedQuery, SalesforceError } from './errors.js';
import { visibleSchema, type OrgContext, type RestResponse } from './context.js';
import type { QueryContext } from '../soql/evaluate.js';

/**
 * The query resource: runs SOQL and pages the result like Salesforce, handing back `nextRecordsUrl`
 * when more records remain than fit in one batch (2000 by default, or `Sforce-Query-Options:
 * batchSize=N` between 200 and 2000).
 */

const MAX_OPEN_CURSORS = 50;

function batchSizeOf(ctx: OrgContext, header: string | undefined): number {
  const requested = /batchSize=(\d+)/i.exec(header ?? '')?.[1];
  if (!requested) return ctx.queryBatchSize;
  return Math.min(2000, Math.max(200, Number(requested)));
}

function page(
  ctx: OrgContext,
  locatorBase: string,
  records: Record<string, unknown>[],
  totalSize: number,
  from: number,
  batchSize: number,
) {
  const to = from + batchSize;
  const done = to >= records.length;
  const body: Record<string, unknown> = { totalSize, done, records: records.slice(from, to) };
  if (!done) {
    const locator = `${locatorBase}-${to}`;
    if (ctx.cursors.size >= MAX_OPEN_CURSORS) ctx.cursors.delete(ctx.cursors.keys().next().value!);
    ctx.cursors.set(locator, { records, totalSize, next: to });
    body.nextRecordsUrl = `/services/data/v${ctx.apiVersion}/query/${locator}`;
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
function queryContext(ctx: OrgContext, includeDeleted: boolean): QueryContext {
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

export function runSoql(
  ctx: OrgContext,
  soql: string | null,
  includeDeleted: boolean,
  optionsHeader?: string,
  columnsOnly = false,
): RestResponse {
  if (!soql) throw malformedQuery('the q parameter with a SOQL statement is required');
  if (columnsOnly) return queryColumns(ctx, soql);
  const output = runQuery(queryContext(ctx, includeDeleted), parseSoql(soql));
  const locatorBase = `01g${randomBytes(6).toString('hex').toUpperCase().slice(0, 12)}`;
  return {
    status: 200,
    body: page(ctx, locatorBase, output.records, output.totalSize, 0, batchSizeOf(ctx, optionsHeader)),
  };
}

export function nextPage(ctx: OrgContext, locator: string, optionsHeader?: string): RestResponse {
  const cursor = ctx.cursors.get(locator);
  if (!cursor) {
    throw new SalesforceError('INVALID_QUERY_LOCATOR', 'invalid query locator', [], 400);
  }
  ctx.cursors.delete(locator);
  const base = locator.replace(/-\d+$/, '');
  return {
    status: 200,
    body: page(ctx, base, cursor.records, cursor.totalSize, cursor.next, batchSizeOf(ctx, optionsHeader)),
  };
}
