import { z } from 'zod';
import { SalesforceApiError, type CompositeSubresponse } from './salesforce-client.js';

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
