import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { qualify, type OrgSchema } from './schema/types.js';
import type { RecordStore, SObjectRecord } from './store/record-store.js';
import { readMetadataRecords } from './schema/custom-metadata-records.js';
import { coerceFieldValue } from './api/field-input.js';
import { createRecord } from './api/dml.js';
import type { DmlContext } from './api/context.js';

/**
 * What the local org holds before anyone writes: the package's custom metadata records (read from
 * force-app on every start, as a deploy would put them), the users, and the sample data loaded from
 * the same `sf data import tree` plan the scratch-org script uses, through the same checks as any
 * other create.
 */

export interface LocalUser {
  username: string;
  firstName: string;
  lastName: string;
  email: string;
}

export const DEFAULT_USERS: LocalUser[] = [
  {
    username: 'pipeline-scribe-integration@example.com',
    firstName: 'Pipeline Scribe',
    lastName: 'Integration',
    email: 'pipeline-scribe-integration@example.com',
  },
  {
    username: 'admin@pipeline-scribe.local',
    firstName: 'Local',
    lastName: 'Admin',
    email: 'admin@pipeline-scribe.local',
  },
];

export async function loadCustomMetadata(
  schema: OrgSchema,
  store: RecordStore,
  packageDir: string,
): Promise<void> {
  for (const record of await readMetadataRecords(packageDir)) {
    const object = schema.object(schema.apiName(`${record.type}__mdt`));
    if (!object) {
      throw new Error(
        `${record.file}: custom metadata type ${record.type}__mdt is not defined in ${packageDir}`,
      );
    }
    const values: Record<string, string | number | boolean | null> = {};
    for (const [name, value] of Object.entries(record.values)) {
      const field = object.fields.get(qualify(schema.namespace, name).toLowerCase());
      if (!field) throw new Error(`${record.file}: ${object.name} has no field ${name}`);
      values[field.name] = coerceFieldValue(field, value);
    }
    const existing = store.findBy(object.name, 'DeveloperName', record.developerName)[0];
    const row: SObjectRecord = {
      ...values,
      Id: existing?.Id ?? store.newId(object.name),
      DeveloperName: record.developerName,
      MasterLabel: record.label,
      Label: record.label,
      QualifiedApiName: record.developerName,
      NamespacePrefix: schema.namespace || null,
      Language: 'en_US',
    };
    store.put(object.name, row);
  }
}

export function createUsers(ctx: DmlContext, users: LocalUser[]): void {
  for (const user of users) {
    if (ctx.store.findBy('User', 'Username', user.username).length > 0) continue;
    createRecord(ctx, 'User', {
      Username: user.username,
      FirstName: user.firstName,
      LastName: user.lastName,
      Email: user.email,
      Alias: user.lastName.slice(0, 8).toLowerCase(),
      TimeZoneSidKey: 'America/Los_Angeles',
      LocaleSidKey: 'en_US',
      LanguageLocaleKey: 'en_US',
      EmailEncodingKey: 'UTF-8',
    });
  }
}

interface PlanStep {
  sobject: string;
  saveRefs?: boolean;
  resolveRefs?: boolean;
  files: string[];
}

interface TreeRecord {
  attributes: { type: string; referenceId: string };
  [field: string]: unknown;
}

export interface DataPlanFile {
  file: string;
  step: PlanStep;
  records: TreeRecord[];
}

/** Reads a `sf data import tree` plan and its files. */
export async function readDataPlan(planFile: string): Promise<DataPlanFile[]> {
  const plan = JSON.parse(await readFile(planFile, 'utf8')) as PlanStep[];
  const files: DataPlanFile[] = [];
  for (const step of plan) {
    for (const file of step.files) {
      const full = path.join(path.dirname(planFile), file);
      const { records } = JSON.parse(await readFile(full, 'utf8')) as { records: TreeRecord[] };
      files.push({ file: full, step, records });
    }
  }
  return files;
}

/** Creates the plan's records in order; `@Ref` values become the ids of records created before. */
export function applyDataPlan(ctx: DmlContext, plan: DataPlanFile[]): number {
  const refs = new Map<string, string>();
  let created = 0;
  for (const { file, step, records } of plan) {
    for (const record of records) {
      const { attributes, ...fields } = record;
      const body = Object.fromEntries(
        Object.entries(fields).map(([k, v]) => {
          if (step.resolveRefs && typeof v === 'string' && v.startsWith('@')) {
            const id = refs.get(v.slice(1));
            if (!id) throw new Error(`${file}: ${attributes.referenceId}.${k} refers to unknown ${v}`);
            return [k, id];
          }
          return [k, v];
        }),
      );
      try {
        const id = createRecord(ctx, step.sobject, body);
        if (step.saveRefs) refs.set(attributes.referenceId, id);
        created++;
      } catch (error) {
        throw new Error(`${file}: ${attributes.referenceId} was refused: ${(error as Error).message}`);
      }
    }
  }
  return created;
}
