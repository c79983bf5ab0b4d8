import type { FieldDef } from '../schema/types.js';
import type { FieldValue } from '../store/record-store.js';
import { toId18 } from '../schema/ids.js';
import { SalesforceError } from './errors.js';

/**
 * Turns a JSON value sent for a field into what the field stores, refusing what Salesforce refuses
 * with the same error codes: text too long, a value outside a restricted picklist, a malformed id,
 * date or number, a number too large for its precision.
 */

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export function formatDatetime(ms: number): string {
  return new Date(ms).toISOString().replace('Z', '+0000');
}

const parseError = (field: FieldDef, value: unknown, type: string) =>
  new SalesforceError(
    'JSON_PARSER_ERROR',
    `Cannot deserialize instance of ${type} from VALUE_STRING value ${String(value)} or request may be missing a required field`,
    [field.name],
  );

function text(field: FieldDef, value: unknown): string {
  if (typeof value === 'object') throw parseError(field, JSON.stringify(value), 'string');
  const s = String(value);
  if (field.length > 0 && s.length > field.length) {
    throw new SalesforceError(
      'STRING_TOO_LONG',
      `${field.label}: data value too large: ${s.length > 80 ? s.slice(0, 80) + '...' : s} (max length=${field.length})`,
      [field.name],
    );
  }
  return s;
}

function number(field: FieldDef, value: unknown): number {
  const n =
    typeof value === 'number'
      ? value
      : typeof value === 'string' && value.trim() !== ''
        ? Number(value)
        : NaN;
  if (!Number.isFinite(n)) throw parseError(field, value, 'double');
  const rounded = field.scale > 0 ? Number(n.toFixed(field.scale)) : field.type === 'int' ? Math.round(n) : n;
  const integerDigits = Math.trunc(Math.abs(rounded)).toString().length;
  if (field.precision > 0 && integerDigits > field.precision - field.scale) {
    throw new SalesforceError(
      'NUMBER_OUTSIDE_VALID_RANGE',
      `${field.label}: value outside of valid range on numeric field: ${n}`,
      [field.name],
    );
  }
  return rounded;
}

function picklistValue(field: FieldDef, value: unknown): string {
  const s = text(field, value);
  const values = field.type === 'multipicklist' ? s.split(';') : [s];
  if (field.restrictedPicklist) {
    for (const v of values) {
      if (!field.picklistValues.some((p) => p.active && p.value === v)) {
        throw new SalesforceError(
          'INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST',
          `${field.label}: bad value for restricted picklist field: ${v}`,
          [field.name],
        );
      }
    }
  }
  return s;
}

/**
 * TaskWhoIds / EventWhoIds: an array of up to 50 contact ids that replaces the activity's related
 * contacts in one call. Carried through the save as the ids joined by commas, then turned into
 * relation rows (activity-relations.ts) and never stored on the record itself.
 * https://developer.salesforce.com/docs/platform/object-reference/references/standard-objects/object-taskwhorelation.html
 */
export const MAX_ACTIVITY_CONTACTS = 50;

function junctionIds(field: FieldDef, value: unknown): string {
  if (!Array.isArray(value)) throw parseError(field, JSON.stringify(value), 'JunctionIdList');
  const ids = value.map((v) => (typeof v === 'string' ? toId18(v) : null));
  const bad = value.find((_, i) => !ids[i]);
  if (bad !== undefined) {
    throw new SalesforceError('MALFORMED_ID', `${field.label}: id value of incorrect type: ${String(bad)}`, [
      field.name,
    ]);
  }
  const unique = [...new Set(ids as string[])];
  if (unique.length > MAX_ACTIVITY_CONTACTS) {
    throw new SalesforceError(
      'INVALID_FIELD',
      `${field.label}: an activity relates to at most ${MAX_ACTIVITY_CONTACTS} contacts; this one names ${unique.length}`,
      [field.name],
    );
  }
  return unique.join(',');
}

export function coerceFieldValue(field: FieldDef, value: unknown): FieldValue {
  if (value === null || value === undefined || value === '') return null;
  switch (field.type) {
    case 'string':
    case 'textarea':
    case 'phone':
    case 'url':
      return text(field, value);
    case 'email': {
      const s = text(field, value);
      if (!EMAIL.test(s)) {
        throw new SalesforceError('INVALID_EMAIL_ADDRESS', `${field.label}: invalid email address: ${s}`, [
          field.name,
        ]);
      }
      return s;
    }
    case 'picklist':
    case 'multipicklist':
      return picklistValue(field, value);
    case 'id':
    case 'reference': {
      const id = typeof value === 'string' ? toId18(value) : null;
      if (!id) {
        throw new SalesforceError(
          'MALFORMED_ID',
          `${field.label}: id value of incorrect type: ${String(value)}`,
          [field.name],
        );
      }
      return id;
    }
    case 'date': {
      const s = String(value);
      const day = /^\d{4}-\d{2}-\d{2}/.exec(s)?.[0];
      if (
        !day ||
        Number.isNaN(Date.parse(`${day}T00:00:00Z`)) ||
        !new Date(`${day}T00:00:00Z`).toISOString().startsWith(day)
      ) {
        throw parseError(field, value, 'date');
      }
      return day;
    }
    case 'datetime': {
      const ms = typeof value === 'string' ? Date.parse(value.replace(/([+-]\d{2})(\d{2})$/, '$1:$2')) : NaN;
      if (Number.isNaN(ms)) throw parseError(field, value, 'datetime');
      return formatDatetime(ms);
    }
    case 'double':
    case 'currency':
    case 'percent':
    case 'int':
      return number(field, value);
    case 'junctionidlist':
      return junctionIds(field, value);
    case 'boolean':
      if (typeof value === 'boolean') return value;
      if (value === 'true' || value === 'false') return value === 'true';
      throw parseError(field, value, 'boolean');
  }
}
