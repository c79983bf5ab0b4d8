import { createHash } from 'node:crypto';
import avro from 'avsc';
import type { FieldDef, ObjectDef, OrgSchema } from '../org/schema/types.js';
import type { FieldValue } from '../org/store/record-store.js';

/**
 * The Avro schema of each platform event, derived from its force-app definition the way Salesforce
 * derives it: a record in the com.sforce.eventbus namespace with CreatedDate (epoch milliseconds)
 * and CreatedById, then every custom field as a nullable union (checkboxes as plain booleans),
 * date-times as epoch milliseconds and dates as days since the epoch. The schema id is a digest of
 * the schema, so a changed event definition is a new schema, as in an org.
 */

export interface EventSchema {
  topicName: string;
  eventName: string;
  schemaId: string;
  schemaJson: string;
  type: avro.Type;
  fields: FieldDef[];
}

const PLATFORM_FIELDS = new Set(['replayid', 'createddate', 'createdbyid', 'eventuuid']);
const DAY_MS = 86_400_000;

function avroTypeOf(field: FieldDef): unknown {
  switch (field.type) {
    case 'boolean':
      return 'boolean';
    case 'double':
    case 'currency':
    case 'percent':
      return ['null', 'double'];
    case 'int':
      return ['null', 'int'];
    case 'datetime':
      return ['null', 'long'];
    case 'date':
      return ['null', 'int'];
    default:
      return ['null', 'string'];
  }
}

const docOf = (field: FieldDef) => `Data:${field.type}`;

export function topicNameOf(eventName: string): string {
  return `/event/${eventName}`;
}

export function eventSchemaOf(object: ObjectDef): EventSchema {
  const fields = [...object.fields.values()]
    .filter((f) => !PLATFORM_FIELDS.has(f.name.toLowerCase()))
    .sort((a, b) => a.name.localeCompare(b.name));
  const schema = {
    type: 'record',
    name: object.name,
    namespace: 'com.sforce.eventbus',
    fields: [
      { name: 'CreatedDate', type: 'long', doc: 'CreatedDate:DateTime' },
      { name: 'CreatedById', type: 'string', doc: 'CreatedBy:EntityId' },
      ...fields.map((f) =>
        f.type === 'boolean'
          ? { name: f.name, type: 'boolean', doc: docOf(f), default: false }
          : { name: f.name, type: avroTypeOf(f), doc: docOf(f), default: null },
      ),
    ],
  };
  const schemaJson = JSON.stringify(schema);
  return {
    topicName: topicNameOf(object.name),
    eventName: object.name,
    schemaId: createHash('sha256').update(schemaJson).digest('base64url').slice(0, 22),
    schemaJson,
    type: avro.Type.forSchema(schema as avro.Schema),
    fields,
  };
}

/** Every platform event the package defines, by topic name. */
export function eventSchemas(schema: OrgSchema): Map<string, EventSchema> {
  return new Map(
    schema
      .objects()
      .filter((o) => o.kind === 'event')
      .map((o) => {
        const s = eventSchemaOf(o);
        return [s.topicName, s] as const;
      }),
  );
}

function avroValue(field: FieldDef, value: FieldValue | undefined): unknown {
  if (field.type === 'boolean') return value === true;
  if (value === null || value === undefined || value === '') return null;
  switch (field.type) {
    case 'double':
    case 'currency':
    case 'percent':
    case 'int':
      return Number(value);
    case 'datetime':
      return Date.parse(String(value).replace(/([+-]\d{2})(\d{2})$/, '$1:$2'));
    case 'date':
      return Math.round(Date.parse(`${String(value).slice(0, 10)}T00:00:00Z`) / DAY_MS);
    default:
      return String(value);
  }
}

/** The Avro bytes of an event as the org holds it (field values as the REST API shows them). */
export function encodeEvent(
  schema: EventSchema,
  payload: Record<string, FieldValue>,
  createdDate: string,
  createdById: string | null,
): Buffer {
  const record: Record<string, unknown> = {
    CreatedDate: Date.parse(createdDate.replace(/([+-]\d{2})(\d{2})$/, '$1:$2')),
    CreatedById: createdById ?? '',
  };
  for (const field of schema.fields) record[field.name] = avroValue(field, payload[field.name]);
  return schema.type.toBuffer(record);
}
