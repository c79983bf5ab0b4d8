import { z } from 'zod';
import { SalesforceApiError, type CompositeSubresponse, type SalesforceApi } from './salesforce-client.js';

/**
 * Salesforce's response shapes, checked with zod before anything reads them: query results (and
 * the nested results of child subqueries), describe results, save results, and error bodies.
 */

export const ErrorBodySchema = z.array(
  z.looseObject({ errorCode: z.string(), message: z.string(), fields: z.array(z.string()).optional() }),
);

export const SaveErrorSchema = z.looseObject({
  statusCode: z.string(),
  message: z.string(),
  fields: z.array(z.string()).optional(),
});

export const SaveResultSchema = z.looseObject({
  id: z.string().nullish(),
  success: z.boolean(),
  errors: z.array(SaveErrorSchema),
  created: z.boolean().optional(),
});

export function queryResultOf<T extends z.ZodTypeAny>(row: T) {
  return z.looseObject({
    totalSize: z.number(),
    done: z.boolean(),
    nextRecordsUrl: z.string().optional(),
    records: z.array(row),
  });
}

/** A child subquery's result: null when there are no children. */
export function childRecordsOf<T extends z.ZodTypeAny>(row: T) {
  return z
    .looseObject({ records: z.array(row) })
    .nullish()
    .transform((v) => v?.records ?? []);
}

export const DescribeFieldSchema = z.looseObject({
  name: z.string(),
  label: z.string(),
  type: z.string(),
  length: z.number().optional().default(0),
  updateable: z.boolean(),
  restrictedPicklist: z.boolean().optional().default(false),
  picklistValues: z
    .array(z.looseObject({ value: z.string(), active: z.boolean() }))
    .optional()
    .default([]),
});

export const DescribeSchema = z.looseObject({ name: z.string(), fields: z.array(DescribeFieldSchema) });

/** The first real error of a failed subrequest (not the PROCESSING_HALTED of its neighbours). */
export function subrequestError(response: CompositeSubresponse): SalesforceApiError | null {
  if (response.httpStatusCode < 400) {
    const saves = z.array(SaveResultSchema).safeParse(response.body);
    const failed = saves.success
      ? saves.data.flatMap((s) => s.errors).find((e) => e.statusCode !== 'ALL_OR_NONE_OPERATION_ROLLED_BACK')
      : undefined;
    return failed ? new SalesforceApiError(failed.statusCode, failed.message, failed.fields ?? []) : null;
  }
  const errors = ErrorBodySchema.safeParse(response.body);
  if (errors.success) {
    const first = errors.data[0];
    if (first) return new SalesforceApiError(first.errorCode, first.message, first.fields ?? []);
  }
  const saves = z.array(SaveResultSchema).safeParse(response.body);
  if (saves.success) {
    const first = saves.data
      .flatMap((s) => s.errors)
      .find((e) => e.statusCode !== 'ALL_OR_NONE_OPERATION_ROLLED_BACK');
    if (first) return new SalesforceApiError(first.statusCode, first.message, first.fields ?? []);
  }
  return new SalesforceApiError(
    `HTTP_${response.httpStatusCode}`,
    `subrequest ${response.referenceId} failed`,
  );
}

/** The body of a subrequest that must have succeeded, parsed; a failure becomes a SalesforceApiError. */
export function bodyOf<T extends z.ZodTypeAny>(
  responses: CompositeSubresponse[],
  referenceId: string,
  schema: T,
): z.infer<T> {
  const response = responses.find((r) => r.referenceId === referenceId);
  if (!response)
    throw new SalesforceApiError('MISSING_RESPONSE', `Salesforce returned no result for ${referenceId}`);
  const error = response.httpStatusCode >= 400 ? subrequestError(response) : null;
  if (error) throw new SalesforceApiError(error.errorCode, `${referenceId}: ${error.message}`, error.fields);
  const parsed = schema.safeParse(response.body);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new SalesforceApiError(
      'UNEXPECTED_RESPONSE',
      `Salesforce's answer to ${referenceId} does not have the expected shape at ${issue?.path.join('.') || 'the top'}: ${issue?.message}`,
    );
  }
  return parsed.data;
}

/** SOQL string literal: quotes and backslashes escaped. */
export function soqlString(value: string): string {
  return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

export const soqlList = (values: string[]) => values.map(soqlString).join(', ');

/** `/query?q=...` for a composite subrequest. */
export const queryPath = (soql: string) => `/query?q=${encodeURIComponent(soql.replace(/\s+/g, ' ').trim())}`;

interface RawQueryResult {
  totalSize: number;
  done: boolean;
  nextRecordsUrl?: string;
  records: unknown[];
}

function isQueryResult(value: unknown): value is RawQueryResult {
  return (
    value !== null &&
    typeof value === 'object' &&
    typeof (value as { done?: unknown }).done === 'boolean' &&
    Array.isArray((value as { records?: unknown }).records)
  );
}

/** Reads the rest of every child relationship result of these rows (each has its own cursor). */
async function completeChildren(api: Pick<SalesforceApi, 'get'>, rows: unknown[]): Promise<void> {
  for (const row of rows) {
    if (!row || typeof row !== 'object') continue;
    const record = row as Record<string, unknown>;
    for (const [key, value] of Object.entries(record)) {
      if (isQueryResult(value) && !value.done) record[key] = await followPages(api, value, false);
    }
  }
}

async function followPages(
  api: Pick<SalesforceApi, 'get'>,
  first: RawQueryResult,
  withChildren: boolean,
): Promise<RawQueryResult> {
  const records = [...first.records];
  if (withChildren) await completeChildren(api, records);
  let page = first;
  while (!page.done) {
    if (!page.nextRecordsUrl) {
      throw new SalesforceApiError(
        'UNEXPECTED_RESPONSE',
        'a query page says done:false without nextRecordsUrl',
      );
    }
    const next = await api.get<unknown>(page.nextRecordsUrl);
    if (!isQueryResult(next)) {
      throw new SalesforceApiError(
        'UNEXPECTED_RESPONSE',
        `${page.nextRecordsUrl} did not answer a query page`,
      );
    }
    // A parent row's child cursors are read before the parent's next page: reading the next page
    // releases the child cursors of the one before.
    // https://developer.salesforce.com/docs/atlas.en-us.238.0.api.meta/api/sforce_api_calls_querymore_querylocator.htm
    if (withChildren) await completeChildren(api, next.records);
    records.push(...next.records);
    page = next;
  }
  const complete: RawQueryResult = { ...first, done: true, records };
  delete complete.nextRecordsUrl;
  return complete;
}

/**
 * A query result with all its rows: follows `nextRecordsUrl` of the result and of each row's child
 * relationship results, which Salesforce pages separately (a child result with more rows than its
 * first batch comes with `done: false` and its own `nextRecordsUrl`). Costs one API call per further
 * page, none when everything fit in the first.
 */
export async function allPages(api: Pick<SalesforceApi, 'get'>, body: unknown): Promise<unknown> {
  if (!isQueryResult(body)) return body;
  const needsMore =
    !body.done ||
    body.records.some(
      (r) =>
        r !== null &&
        typeof r === 'object' &&
        Object.values(r as Record<string, unknown>).some((v) => isQueryResult(v) && !v.done),
    );
  return needsMore ? followPages(api, body, true) : body;
}

/** Completes, in place, every successful query result among composite subresponses; returns them. */
export async function withAllPages(
  api: Pick<SalesforceApi, 'get'>,
  responses: CompositeSubresponse[],
): Promise<CompositeSubresponse[]> {
  for (const response of responses) {
    if (response.httpStatusCode < 400) response.body = await allPages(api, response.body);
  }
  return responses;
}
