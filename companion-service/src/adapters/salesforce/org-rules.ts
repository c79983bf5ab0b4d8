import { z } from 'zod';
import type { FastifyBaseLogger as Logger } from 'fastify';
import type { OrgRules } from '../../domain/org-rules.js';
import type { FieldDescription, FieldKind } from '../../domain/writeback/field-values.js';
import { RULE_FIELDS, rulesFromRecords, type MetadataRecord } from '../metadata/package-metadata.js';
import type { SalesforceApi } from './salesforce-client.js';
import { sellerSideOf } from '../../domain/extraction/seller-side.js';
import { isPublicMailbox } from '../mail/public-mailboxes.js';
import type { ActivitySettings } from './activity-records.js';
import { allPages, bodyOf, DescribeSchema, queryPath, queryResultOf, withAllPages } from './responses.js';

/**
 * The org's rules, read from the org: the package's custom metadata records (stage definitions, field
 * policies, competitors, settings, risk rules) and the describes the write decision needs, in one
 * composite call, then reused for a configurable time. The records go through the same
 * rulesFromRecords as the package files, so both sources yield the same rules.
 */

export interface OrgSnapshot {
  rules: OrgRules;
  riskRules: MetadataRecord[];
  /** The Scribe_Setting__mdt records, for the pipeline's thresholds. */
  settings: MetadataRecord[];
  /** Opportunity fields by API name, as the integration user sees them. */
  opportunityFields: Record<string, FieldDescription>;
  /** Account fields by API name, as the integration user sees them (company facts' policies). */
  accountFields?: Record<string, FieldDescription>;
  contactRoleValues: string[];
  /** How conversations are logged as activities here (Shared Activities on or off). */
  activity: ActivitySettings;
  /** Contact fields by API name, as the integration user sees them; absent in snapshots made without. */
  contactFields?: Record<string, FieldDescription>;
  loadedAt: number;
}

export const MetadataRowSchema = z.looseObject({ DeveloperName: z.string(), MasterLabel: z.string() });
type RowValue = string | number | boolean | null;

/** A custom metadata row as the package reader gives it, so both sources build the same rules. */
export function toRecord(
  type: string,
  row: z.infer<typeof MetadataRowSchema>,
  fields: readonly string[] = RULE_FIELDS[type] ?? [],
): MetadataRecord {
  const values: Record<string, RowValue> = {};
  for (const field of fields) {
    const v = (row as Record<string, unknown>)[field];
    values[field] = v === undefined || v === null || v === '' ? null : (v as RowValue);
  }
  return {
    type,
    developerName: row.DeveloperName,
    label: row.MasterLabel,
    file: `${type}__mdt.${row.DeveloperName} (org)`,
    values,
  };
}

function describeFields(describe: z.infer<typeof DescribeSchema>): Record<string, FieldDescription> {
  return Object.fromEntries(
    describe.fields.map((f) => [
      f.name,
      {
        name: f.name,
        label: f.label,
        type: f.type as FieldKind,
        length: f.length,
        updateable: f.updateable,
        picklistValues: f.picklistValues.filter((p) => p.active).map((p) => p.value),
        restrictedPicklist: f.restrictedPicklist,
      },
    ]),
  );
}

/** Bounded like every read: an org past this many users still gets the first ones, by name. */
const MAX_SELLER_USERS = 2000;
const SELLER_USERS_QUERY = `SELECT Name, Email FROM User WHERE IsActive = true AND UserType = 'Standard' ORDER BY Name LIMIT ${MAX_SELLER_USERS}`;
const UserRowSchema = z.looseObject({ Name: z.string(), Email: z.string().nullish() });

export async function readOrgSnapshot(api: SalesforceApi, now: number): Promise<OrgSnapshot> {
  const types = Object.keys(RULE_FIELDS);
  // Our own people, read beside the rules and cached with them: sellers by name and by the domains
  // they write from. Its own call, in parallel: the rules' composite already holds the 5 queries a
  // composite request may carry (resources_composite_composite_post.htm in the REST API guide).
  const [composite, usersBody] = await Promise.all([
    api.composite(
      [
        ...types.map((type) => ({
          method: 'GET' as const,
          referenceId: type,
          path: queryPath(
            `SELECT DeveloperName, MasterLabel, ${RULE_FIELDS[type]!.join(', ')} FROM ${type}__mdt ORDER BY DeveloperName`,
          ),
        })),
        { method: 'GET', referenceId: 'opportunity', path: '/sobjects/Opportunity/describe' },
        { method: 'GET', referenceId: 'account', path: '/sobjects/Account/describe' },
        { method: 'GET', referenceId: 'contactRole', path: '/sobjects/OpportunityContactRole/describe' },
        { method: 'GET', referenceId: 'task', path: '/sobjects/Task/describe' },
        { method: 'GET', referenceId: 'contact', path: '/sobjects/Contact/describe' },
      ],
      false,
    ),
    api.get<unknown>(queryPath(SELLER_USERS_QUERY)).then((body) => allPages(api, body)),
  ]);
  const responses = await withAllPages(api, composite);
  const records = types.flatMap((type) =>
    bodyOf(responses, type, queryResultOf(MetadataRowSchema)).records.map((row) => toRecord(type, row)),
  );
  const users = queryResultOf(UserRowSchema)
    .parse(usersBody)
    .records.map((u) => ({
      name: u.Name,
      email: u.Email ?? null,
    }));
  const base = rulesFromRecords(records);
  const seller = sellerSideOf(users, { domains: base.sellerEmailDomains }, isPublicMailbox);
  const opportunityFields = describeFields(bodyOf(responses, 'opportunity', DescribeSchema));
  const accountFields = describeFields(bodyOf(responses, 'account', DescribeSchema));
  const roleField = describeFields(bodyOf(responses, 'contactRole', DescribeSchema)).Role;
  // TaskWhoIds exists only where Shared Activities is enabled (object-taskwhorelation.html).
  const taskFields = describeFields(bodyOf(responses, 'task', DescribeSchema));
  return {
    rules: { ...base, sellerEmailDomains: seller.domains, sellerPeople: seller.people },
    riskRules: records.filter((r) => r.type === 'Risk_Rule'),
    settings: records.filter((r) => r.type === 'Scribe_Setting'),
    opportunityFields,
    accountFields,
    contactRoleValues: roleField?.picklistValues ?? [],
    activity: { sharedActivities: 'TaskWhoIds' in taskFields },
    contactFields: describeFields(bodyOf(responses, 'contact', DescribeSchema)),
    loadedAt: now,
  };
}

/** Reuses the snapshot for ttlMs; a failed refresh keeps serving the last good one and says so. */
export class OrgSnapshotCache {
  private snapshot: OrgSnapshot | null = null;
  private loading: Promise<OrgSnapshot> | null = null;

  constructor(
    private readonly read: () => Promise<OrgSnapshot>,
    private readonly ttlMs: number,
    private readonly logger: Logger,
    private readonly now: () => number = Date.now,
  ) {}

  current(): OrgSnapshot | null {
    return this.snapshot;
  }

  /** The next get() reads the org again (kept as a fallback should that read fail). */
  invalidate(): void {
    if (this.snapshot) this.snapshot = { ...this.snapshot, loadedAt: -Infinity };
  }

  async get(): Promise<OrgSnapshot> {
    if (this.snapshot && this.now() - this.snapshot.loadedAt < this.ttlMs) return this.snapshot;
    this.loading ??= this.read()
      .then((fresh) => {
        this.snapshot = fresh;
        return fresh;
      })
      .catch((error: Error) => {
        if (!this.snapshot) throw error;
        this.logger.warn(
          { err: error },
          'could not refresh the rules from the org; using the ones read before',
        );
        return this.snapshot;
      })
      .finally(() => {
        this.loading = null;
      });
    return this.loading;
  }
}
