import { z } from 'zod';
import type { RecordValue } from '../../domain/writeback/field-values.js';
import { SalesforceApiError, type CompositeSubrequest, type SalesforceApi } from './salesforce-client.js';
import { SalesforceAuthError } from './jwt-bearer.js';
import { SaveResultSchema } from './responses.js';

/**
 * Batched writes for the pipeline scan: sObject Collections of 200 records, allOrNone false, sent
 * five to a composite call (Salesforce's limit for collection subrequests), so one API call carries
 * up to a thousand records. A record that fails for a passing reason (a row lock, a busy server) is
 * tried once more; any other failure is reported with Salesforce's code and message and the rest of
 * the scan goes on. A used-up daily limit or a refused session stops the remaining calls, since
 * every one would fail the same way.
 */

export const RECORDS_PER_COLLECTION = 200;
export const COLLECTIONS_PER_CALL = 5;

/** Failures that pass on their own: worth the one retry. */
export const TRANSIENT = new Set([
  'UNABLE_TO_LOCK_ROW',
  'SERVER_UNAVAILABLE',
  'CONNECTION_ERROR',
  'HTTP_503',
]);
/** Failures that would fail every later call the same way. */
export const STOPPING = new Set(['REQUEST_LIMIT_EXCEEDED', 'INVALID_SESSION_ID', 'AUTH']);

export interface RecordWrite {
  /** The caller's key: the record id for updates, the external id for upserts. */
  key: string;
  fields: Record<string, RecordValue>;
}

export type WriteMode = { kind: 'update' } | { kind: 'upsert'; externalIdField: string };

export interface WriteFailure {
  object: string;
  key: string;
  code: string;
  message: string;
  fields: string[];
}

export interface WriteResult {
  /** Saved records: key → record id. */
  saved: Map<string, string>;
  failures: WriteFailure[];
  retried: number;
  calls: number;
  /** Set when the org stopped taking calls (limit used up, session refused). */
  stopped: string | null;
}

type Outcome = { ok: true; id: string } | { ok: false; code: string; message: string; fields: string[] };

function subrequestFor(
  object: string,
  mode: WriteMode,
  records: RecordWrite[],
  ref: string,
): CompositeSubrequest {
  return {
    method: 'PATCH',
    referenceId: ref,
    path:
      mode.kind === 'upsert'
        ? `/composite/sobjects/${object}/${mode.externalIdField}`
        : '/composite/sobjects',
    body: {
      allOrNone: false,
      records: records.map((r) =>
        mode.kind === 'upsert'
          ? { attributes: { type: object }, ...r.fields, [mode.externalIdField]: r.key }
          : { attributes: { type: object }, id: r.key, ...r.fields },
      ),
    },
  };
}

function outcomesOf(body: unknown, status: number, records: RecordWrite[]): Outcome[] {
  const saves = z.array(SaveResultSchema).safeParse(body);
  if (status < 400 && saves.success && saves.data.length === records.length) {
    return saves.data.map((s) => {
      if (s.success && s.id) return { ok: true, id: s.id };
      const e = s.errors[0];
      return {
        ok: false,
        code: e?.statusCode ?? 'UNKNOWN_ERROR',
        message: e?.message ?? 'Salesforce did not save the record and gave no reason',
        fields: e?.fields ?? [],
      };
    });
  }
  const errors = z
    .array(
      z.looseObject({ errorCode: z.string(), message: z.string(), fields: z.array(z.string()).optional() }),
    )
    .safeParse(body);
  const first = errors.success ? errors.data[0] : undefined;
  const failure: Outcome = {
    ok: false,
    code: first?.errorCode ?? `HTTP_${status}`,
    message: first?.message ?? `the collection request failed with HTTP ${status}`,
    fields: first?.fields ?? [],
  };
  return records.map(() => failure);
}

function errorOutcome(error: unknown): Extract<Outcome, { ok: false }> {
  if (error instanceof SalesforceApiError)
    return { ok: false, code: error.errorCode, message: error.message, fields: error.fields };
  if (error instanceof SalesforceAuthError)
    return { ok: false, code: 'AUTH', message: error.message, fields: [] };
  throw error;
}

/** The records of one object, written with one mode. */
export interface RecordSet {
  object: string;
  mode: WriteMode;
  records: RecordWrite[];
}

interface Collection {
  set: number;
  records: RecordWrite[];
}

/**
 * One pass over the sets: their collections of 200 go five to a composite call whatever their object,
 * so the records of several objects share calls. Outcomes by set, then by key.
 */
async function writePass(
  api: SalesforceApi,
  sets: readonly RecordSet[],
  records: readonly RecordWrite[][],
  state: { calls: number; stopped: string | null; callsBySet: number[] },
): Promise<Map<string, Outcome>[]> {
  const outcomes = sets.map(() => new Map<string, Outcome>());
  const collections: Collection[] = [];
  records.forEach((list, set) => {
    for (let i = 0; i < list.length; i += RECORDS_PER_COLLECTION)
      collections.push({ set, records: list.slice(i, i + RECORDS_PER_COLLECTION) });
  });
  for (let start = 0; start < collections.length; start += COLLECTIONS_PER_CALL) {
    const batches = collections.slice(start, start + COLLECTIONS_PER_CALL);
    if (state.stopped) {
      const stopped: Outcome = { ok: false, code: 'NOT_SENT', message: state.stopped, fields: [] };
      for (const b of batches) for (const r of b.records) outcomes[b.set]!.set(r.key, stopped);
      continue;
    }
    const requests = batches.map((b, i) =>
      subrequestFor(sets[b.set]!.object, sets[b.set]!.mode, b.records, `batch${i}`),
    );
    state.calls++;
    for (const set of new Set(batches.map((b) => b.set))) state.callsBySet[set]!++;
    try {
      const responses = await api.composite(requests, false);
      batches.forEach((batch, i) => {
        const response = responses.find((r) => r.referenceId === `batch${i}`);
        const results = response
          ? outcomesOf(response.body, response.httpStatusCode, batch.records)
          : batch.records.map(() => ({
              ok: false as const,
              code: 'MISSING_RESPONSE',
              message: 'Salesforce returned no result for this batch',
              fields: [],
            }));
        batch.records.forEach((r, j) => outcomes[batch.set]!.set(r.key, results[j]!));
      });
    } catch (error) {
      const failure = errorOutcome(error);
      if (STOPPING.has(failure.code))
        state.stopped = `not sent: Salesforce stopped taking calls (${failure.code}: ${failure.message})`;
      for (const b of batches) for (const r of b.records) outcomes[b.set]!.set(r.key, failure);
    }
  }
  return outcomes;
}

/**
 * Writes the records of several objects, their collections sharing composite calls; never throws for
 * what Salesforce refuses, reports it. Each set's result counts the calls it took part in; `calls` is
 * the number made.
 */
export async function writeRecordSets(
  api: SalesforceApi,
  sets: readonly RecordSet[],
  stopped: string | null = null,
): Promise<{ results: WriteResult[]; calls: number; stopped: string | null }> {
  const state = { calls: 0, stopped, callsBySet: sets.map(() => 0) };
  const first = await writePass(
    api,
    sets,
    sets.map((s) => s.records),
    state,
  );
  const again = sets.map((s, i) =>
    s.records.filter((r) => {
      const o = first[i]!.get(r.key)!;
      return !o.ok && TRANSIENT.has(o.code);
    }),
  );
  const second = again.some((list) => list.length > 0) ? await writePass(api, sets, again, state) : null;
  const results = sets.map((set, i): WriteResult => {
    const result: WriteResult = {
      saved: new Map(),
      failures: [],
      retried: again[i]!.length,
      calls: state.callsBySet[i]!,
      stopped: state.stopped,
    };
    for (const r of set.records) {
      const o = second?.[i]!.get(r.key) ?? first[i]!.get(r.key)!;
      if (o.ok) result.saved.set(r.key, o.id);
      else
        result.failures.push({
          object: set.object,
          key: r.key,
          code: o.code,
          message: o.message,
          fields: o.fields,
        });
    }
    return result;
  });
  return { results, calls: state.calls, stopped: state.stopped };
}

/** Writes the records of one object; never throws for what Salesforce refuses, reports it. */
export async function writeRecords(
  api: SalesforceApi,
  object: string,
  mode: WriteMode,
  records: RecordWrite[],
  stopped: string | null = null,
): Promise<WriteResult> {
  const { results } = await writeRecordSets(api, [{ object, mode, records }], stopped);
  return results[0]!;
}

// ---- Field_Provenance__c ----

export interface ProvenanceEntry {
  objectName: string;
  recordId: string;
  opportunityId: string | null;
  field: string;
  previous: RecordValue;
  value: RecordValue;
  evidence: string;
  engine: { name: string; version: string };
}

const LONG_TEXT = 32_768;
const text = (v: RecordValue, max = LONG_TEXT) => {
  if (v === null) return null;
  const s = String(v);
  return s.length <= max ? s : s.slice(0, max - 1) + '…';
};

/**
 * One provenance record per AI-set value, keyed by the scan run so a retried scan never writes it twice.
 * Owned by the deal's owner (`ownerId`), like the deal's actions: Field_Provenance__c is Private, so
 * the owner and their managers read where the deal's values came from and no other rep does.
 */
export function provenanceWrite(
  entry: ProvenanceEntry,
  runId: string,
  appliedAt: string,
  ownerId?: string,
): RecordWrite {
  return {
    key: `${runId}:${entry.recordId}:${entry.field}`.slice(0, 255),
    fields: {
      ...(ownerId ? { OwnerId: ownerId } : {}),
      Object_Name__c: entry.objectName,
      Record_Id__c: entry.recordId,
      Opportunity__c: entry.opportunityId,
      Field_Name__c: entry.field,
      Previous_Value__c: text(entry.previous),
      New_Value__c: text(entry.value),
      Evidence_Quote__c: text(entry.evidence),
      Extractor__c: entry.engine.name.slice(0, 80),
      Extractor_Version__c: entry.engine.version.slice(0, 40),
      Applied_By_Policy__c: 'Pipeline scan (AI field)',
      Applied_At__c: appliedAt,
    },
  };
}
