import type { OrgSchema } from '../schema/types.js';
import type { RecordStore } from '../store/record-store.js';
import type { DmlContext, PublishedEvent, ValidationRule } from './dml.js';

/** Everything a REST request runs against: the schema, the data, the clock and the acting user. */
export interface OrgContext extends DmlContext {
  schema: OrgSchema;
  store: RecordStore;
  apiVersion: string;
  /** Open query cursors for `nextRecordsUrl`, by locator. */
  cursors: Map<string, { records: Record<string, unknown>[]; totalSize: number; next: number }>;
  queryBatchSize: number;
  validationRules: ValidationRule[];
  events: PublishedEvent[];
}

export interface RestRequest {
  method: string;
  /** The path after `/services/data/vXX.X`, such as `/sobjects/Opportunity/006...`. */
  path: string;
  query: URLSearchParams;
  body: unknown;
  headers: Record<string, string | undefined>;
}

export interface RestResponse {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}
