import type { OrgSchema } from '../schema/types.js';
import type { UserAccess } from '../security/access.js';
import type { FieldValue, RecordStore, SObjectRecord } from '../store/record-store.js';

/** A validation rule as an admin would write it, for the local org to enforce on save. */
export interface ValidationRule {
  object: string;
  name: string;
  /** What the user sees, as the rule's error message. */
  message: string;
  /** The field the error is shown on; none means the top of the page. */
  field?: string;
  /** True when the record, as it would be saved, breaks the rule. */
  violated: (record: Readonly<SObjectRecord>, previous: Readonly<SObjectRecord> | null) => boolean;
}

/** A platform event, published through the REST API or by a save (they are kept, not queryable). */
export interface PublishedEvent {
  type: string;
  id: string;
  /** EventUuid: what identifies one event for its subscribers. */
  uuid: string;
  payload: Record<string, FieldValue>;
  createdDate: string;
  createdById: string | null;
}

/** What record writes run against: the schema, the data, the clock, the acting user and the rules. */
export interface DmlContext {
  schema: OrgSchema;
  store: RecordStore;
  now: () => number;
  userId: string;
  validationRules: ValidationRule[];
  events: PublishedEvent[];
  /** Hears each platform event after its transaction commits; without it saves announce nothing. */
  onEvent?: (event: PublishedEvent) => void;
  /** Called before each record is saved; fault injection throws from here. */
  beforeWrite?: (recordId: string) => void;
  /**
   * What the acting user may see and do; without it the write runs in system mode (the seed, the
   * platform's own writes), as Apex does.
   */
  access?: UserAccess | null;
}

/** The schema as the acting user sees it (all of it in system mode). */
export function visibleSchema(ctx: DmlContext): OrgSchema {
  return ctx.access?.schema ?? ctx.schema;
}

/** Everything a REST request runs against: the schema, the data, the clock and the acting user. */
export interface OrgContext extends DmlContext {
  apiVersion: string;
  /** Open query cursors for `nextRecordsUrl`, by locator. */
  cursors: Map<string, { records: Record<string, unknown>[]; totalSize: number; next: number }>;
  queryBatchSize: number;
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
