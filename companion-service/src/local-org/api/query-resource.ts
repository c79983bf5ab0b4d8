import { randomBytes } from 'node:crypto';
import { parseSoql } from '../soql/parser.js';
import { runQuery } from '../soql/evaluate.js';
import { malformedQuery, SalesforceError } from './errors.js';
import type { OrgContext, RestResponse } from './context.js';

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

export function runSoql(
  ctx: OrgContext,
  soql: string | null,
  includeDeleted: boolean,
  optionsHeader?: string,
): RestResponse {
  if (!soql) throw malformedQuery('the q parameter with a SOQL statement is required');
  const output = runQuery(
    { schema: ctx.schema, store: ctx.store, apiVersion: ctx.apiVersion, now: ctx.now(), includeDeleted },
    parseSoql(soql),
  );
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
