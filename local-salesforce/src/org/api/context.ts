import type { OrgSchema } from '../schema/types.js';
import type { UserAccess } from '../security/access.js';
import type { FieldValue, RecordStore, SObjectRecord } from '../store/record-store.js';
import type { BulkJobs } from './bulk-jobs.js';
import type { QueryJob } from './bulk-query.js';
import type { IngestJob } from './bulk-ingest.js';
import type { NamedCredentials } from './callouts.js';

/** A validation rule as an admin would write it, for the local org to enforce on save. */
export interface ValidationRule {
  object: string;
  name: string;
  /** What the user sees, as the rule's error message. */
  message: string;
  /** The field the error is shown on; none means the top of the page. */
  field?: string;
  /** True when the record, as it would be saved, breaks the rule; fields by their force-app (local) names. */
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
  /**
   * How the package's Apex runs this DML (its AccessLevel): 'system' where the Apex writes in system
   * mode (SuggestionService inserts Field_Provenance__c with AccessLevel.SYSTEM_MODE). REST calls and
   * user-mode Apex leave it unset: the caller's access applies.
   */
  accessLevel?: 'system';
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

/** A server-side query cursor: the rest of a query's rows, or of one parent row's child rows. */
export interface QueryCursor {
  records: Record<string, unknown>[];
  totalSize: number;
  next: number;
  /** Whose cursor it is: a user holds at most ten top-level cursors. */
  userId: string;
  /** The rows of one child relationship of one parent row, paged on their own. */
  child: boolean;
  /** When it was last used (ms): a cursor expires after 15 minutes without use. */
  lastUsed: number;
}

/** Everything a REST request runs against: the schema, the data, the clock and the acting user. */
export interface OrgContext extends DmlContext {
  apiVersion: string;
  /** Open query cursors for `nextRecordsUrl`, by locator (see query-resource.ts for their rules). */
  cursors: Map<string, QueryCursor>;
  queryBatchSize: number;
  /** Bulk API 2.0 jobs and the org's daily bulk allocations. */
  bulk: BulkJobs<QueryJob, IngestJob>;
  /** What the package's setup Apex reads of the org itself: its id, its named credentials, today's API requests. */
  org?: {
    id: string;
    namedCredentials: NamedCredentials;
    apiUsage: () => { used: number; max: number };
  };
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
