import type { CompositeSubresponse, SalesforceApi } from './salesforce-client.js';

/**
 * Every row of the queries a composite answered: a result Salesforce split into batches
 * (`done: false` with `nextRecordsUrl`) is followed page by page, and so is each child relationship
 * result that came back partial inside a row (child rows page on their own). Each page is one more
 * API call, made through the counted API, so the conversation's count includes it. Failed
 * subresponses are left as they are, for their reader to report.
 */

interface Page {
  done?: unknown;
  nextRecordsUrl?: unknown;
  records?: unknown;
}

const isPage = (value: unknown): value is Page & { records: unknown[] } =>
  typeof value === 'object' && value !== null && Array.isArray((value as Page).records);

async function rest(api: SalesforceApi, page: Page & { records: unknown[] }): Promise<unknown[]> {
  const records = [...page.records];
  let next = page;
  while (next.done === false && typeof next.nextRecordsUrl === 'string') {
    const more = await api.get<unknown>(next.nextRecordsUrl);
    if (!isPage(more)) break;
    records.push(...more.records);
    next = more;
  }
  return records;
}

async function completeRows(api: SalesforceApi, rows: unknown[]): Promise<void> {
  for (const row of rows) {
    if (typeof row !== 'object' || row === null) continue;
    for (const [key, value] of Object.entries(row)) {
      if (!isPage(value) || value.done !== false) continue;
      (row as Record<string, unknown>)[key] = {
        ...value,
        done: true,
        nextRecordsUrl: undefined,
        records: await rest(api, value),
      };
    }
  }
}

export async function allPages(
  api: SalesforceApi,
  responses: CompositeSubresponse[],
): Promise<CompositeSubresponse[]> {
  const out: CompositeSubresponse[] = [];
  for (const response of responses) {
    const body = response.body;
    if (response.httpStatusCode >= 400 || !isPage(body)) {
      out.push(response);
      continue;
    }
    const records = await rest(api, body);
    await completeRows(api, records);
    out.push({ ...response, body: { ...body, done: true, nextRecordsUrl: undefined, records } });
  }
  return out;
}
