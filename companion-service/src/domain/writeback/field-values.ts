/**
 * Field values as suggestions and provenance records hold them: dates as YYYY-MM-DD, date-times in
 * ISO 8601 UTC, numbers without grouping or trailing zeros. The package's Apex (FieldValues.cls)
 * writes and compares the same forms, so a value compares equal whichever side wrote it.
 */

export type RecordValue = string | number | boolean | null;

export type FieldKind =
  | 'id'
  | 'string'
  | 'textarea'
  | 'picklist'
  | 'multipicklist'
  | 'reference'
  | 'date'
  | 'datetime'
  | 'double'
  | 'currency'
  | 'percent'
  | 'int'
  | 'boolean'
  | 'email'
  | 'phone'
  | 'url';

/** What the org's describe says about a field the write-back may touch. */
export interface FieldDescription {
  name: string;
  label: string;
  type: FieldKind;
  length: number;
  /** Whether the integration user may write it (describe reflects field-level security). */
  updateable: boolean;
  /** Active picklist values, in order. */
  picklistValues: string[];
  restrictedPicklist: boolean;
}

const NUMERIC = new Set<FieldKind>(['double', 'currency', 'percent', 'int']);

export function toText(value: RecordValue | undefined): string | null {
  if (value === null || value === undefined || value === '') return null;
  if (typeof value === 'number') return String(Number(value.toPrecision(15)));
  if (typeof value === 'string' && /^\d{4}-\d{2}-\d{2}T/.test(value)) {
    const ms = Date.parse(value.replace(/([+-]\d{2})(\d{2})$/, '$1:$2'));
    if (!Number.isNaN(ms)) return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
  }
  return String(value);
}

/** Whether the field holds what was recorded: blank equals blank, numbers compare by value. */
export function sameValue(current: RecordValue | undefined, recorded: string | null | undefined): boolean {
  const a = toText(current);
  const b = recorded === undefined || recorded === null || recorded.trim() === '' ? null : recorded;
  if (a === null || b === null) return a === b;
  if (typeof current === 'number') return Number(b.trim()) === Number(a);
  return a === b;
}

export type Conversion = { ok: true; value: RecordValue; text: string } | { ok: false; problem: string };

/**
 * The value to write into the field, in the field's own type, or why it cannot go there: a picklist
 * value the field does not have, a number in a text-only field, a date that is not one.
 */
export function convertForField(field: FieldDescription, value: string | number | boolean): Conversion {
  const fail = (problem: string): Conversion => ({ ok: false, problem });
  if (NUMERIC.has(field.type)) {
    const n = typeof value === 'number' ? value : Number(String(value).replace(/[, ]/g, ''));
    if (!Number.isFinite(n)) return fail(`"${value}" is not a number, and ${field.label} holds numbers`);
    return { ok: true, value: n, text: toText(n)! };
  }
  if (field.type === 'boolean') {
    if (typeof value === 'boolean') return { ok: true, value, text: String(value) };
    return fail(`"${value}" is not true or false, and ${field.label} is a checkbox`);
  }
  const text = String(value).trim();
  if (field.type === 'date') {
    const day =
      /^\d{4}-\d{2}-\d{2}$/.test(text) && new Date(`${text}T00:00:00Z`).toISOString().startsWith(text);
    return day ? { ok: true, value: text, text } : fail(`"${text}" is not a date (YYYY-MM-DD)`);
  }
  if (field.type === 'picklist') {
    const match = field.picklistValues.find((p) => p.toLowerCase() === text.toLowerCase());
    if (match) return { ok: true, value: match, text: match };
    if (field.restrictedPicklist || field.name === 'StageName') {
      return fail(
        `"${text}" is not a value of ${field.label}; the field allows ${field.picklistValues.join(', ')}`,
      );
    }
    return { ok: true, value: text, text };
  }
  if (field.type === 'reference' || field.type === 'id') {
    return fail(`${field.label} holds record ids, and the write-back never sets lookups from a conversation`);
  }
  const clipped =
    field.length > 0 && text.length > field.length ? text.slice(0, field.length - 1) + '…' : text;
  return { ok: true, value: clipped, text: clipped };
}
const normalText = (v: RecordValue | undefined) =>
  toText(v ?? null)
    ?.replace(/\r\n/g, '\n')
    .trim() || null;

/** Whether the org already holds the value: numbers by value, multi-selects as sets, text trimmed. */
export function sameAs(
  kind: string | undefined,
  wanted: RecordValue,
  held: RecordValue | undefined,
): boolean {
  if (wanted === null || held === null || held === undefined) return wanted === (held ?? null);
  if (typeof wanted === 'number' || kind === 'double' || kind === 'percent' || kind === 'currency')
    return Math.abs(Number(wanted) - Number(held)) < 1e-6;
  if (kind === 'multipicklist') {
    const a = new Set(String(wanted).split(';'));
    const b = new Set(String(held).split(';'));
    return a.size === b.size && [...a].every((v) => b.has(v));
  }
  if (kind === 'date') return String(wanted).slice(0, 10) === String(held).slice(0, 10);
  return normalText(wanted) === normalText(held);
}
