import type { FieldDef, FieldType } from '../schema/types.js';
import type { FieldValue } from '../store/record-store.js';
import { toId18 } from '../schema/ids.js';
import { SalesforceError } from '../api/errors.js';
import type { CompareOp, Literal } from './parser.js';
import { dateLiteralRange } from './date-literals.js';

/**
 * WHERE comparisons with SOQL's semantics: text compares without case, `= null` matches empty
 * values, dates compare with date literals as ranges, and a literal of the wrong type is refused
 * with the message Salesforce gives.
 */

const TEXT_TYPES = new Set<FieldType>([
  'string',
  'textarea',
  'picklist',
  'multipicklist',
  'email',
  'phone',
  'url',
]);
const NUMBER_TYPES = new Set<FieldType>(['double', 'currency', 'percent', 'int']);

type Comparable = string | number | boolean;
type Bound =
  { kind: 'value'; value: Comparable } | { kind: 'range'; start: number; end: number } | { kind: 'null' };

const filterError = (message: string) => new SalesforceError('INVALID_QUERY_FILTER_OPERATOR', message);

function toMillis(value: FieldValue, type: FieldType): number | null {
  if (value === null || value === '') return null;
  if (type === 'date') return Date.parse(`${String(value)}T00:00:00Z`);
  return Date.parse(String(value).replace(/([+-]\d{2})(\d{2})$/, '$1:$2'));
}

/** Normalizes a stored value to what comparisons use. */
function comparable(value: FieldValue, field: FieldDef): Comparable | null {
  if (value === null || value === '') return null;
  if (field.type === 'date' || field.type === 'datetime') return toMillis(value, field.type);
  if (NUMBER_TYPES.has(field.type)) return Number(value);
  if (field.type === 'boolean') return value === true;
  if (field.type === 'id' || field.type === 'reference') return String(value);
  return String(value).toLowerCase();
}

function bind(literal: Literal, field: FieldDef, now: number): Bound {
  const name = field.name;
  if (literal.kind === 'null') return { kind: 'null' };
  if (field.type === 'textarea' && field.length > 255) {
    throw new SalesforceError('INVALID_FIELD', `field '${name}' can not be filtered in a query call`);
  }
  if (field.type === 'id' || field.type === 'reference') {
    if (literal.kind !== 'string')
      throw filterError(
        `value of filter criterion for field '${name}' must be of type id and should be enclosed in quotes`,
      );
    const id = toId18(literal.value);
    if (!id) throw filterError(`invalid ID field: ${literal.value}`);
    return { kind: 'value', value: id };
  }
  if (TEXT_TYPES.has(field.type)) {
    if (literal.kind !== 'string')
      throw filterError(
        `value of filter criterion for field '${name}' must be of type string and should be enclosed in quotes`,
      );
    return { kind: 'value', value: literal.value.toLowerCase() };
  }
  if (NUMBER_TYPES.has(field.type)) {
    if (literal.kind !== 'number')
      throw filterError(
        `value of filter criterion for field '${name}' must be of type double and should not be enclosed in quotes`,
      );
    return { kind: 'value', value: literal.value };
  }
  if (field.type === 'boolean') {
    if (literal.kind !== 'boolean')
      throw filterError(
        `value of filter criterion for field '${name}' must be of type boolean and should not be enclosed in quotes`,
      );
    return { kind: 'value', value: literal.value };
  }
  if (literal.kind === 'dateLiteral') {
    const range = dateLiteralRange(literal.name, literal.n, now);
    return { kind: 'range', start: range.start, end: range.end };
  }
  if (field.type === 'date' && literal.kind === 'date') {
    return { kind: 'value', value: Date.parse(`${literal.value}T00:00:00Z`) };
  }
  if (field.type === 'datetime' && literal.kind === 'datetime')
    return { kind: 'value', value: literal.value };
  throw filterError(
    `value of filter criterion for field '${name}' must be of type ${field.type === 'date' ? 'date' : 'dateTime'} and should not be enclosed in quotes`,
  );
}

export function compareValues(a: FieldValue, b: FieldValue, type: FieldType): number {
  const field = { type, length: 0 } as FieldDef;
  const x = comparable(a, field);
  const y = comparable(b, field);
  if (x === y) return 0;
  if (x === null) return -1;
  if (y === null) return 1;
  return x < y ? -1 : 1;
}

function likeToRegExp(pattern: string): RegExp {
  let source = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === '\\' && (pattern[i + 1] === '%' || pattern[i + 1] === '_')) {
      source += '\\' + pattern[++i];
    } else if (c === '%') source += '.*';
    else if (c === '_') source += '.';
    else source += c.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  }
  // eslint-disable-next-line security/detect-non-literal-regexp -- a LIKE pattern with every regex character escaped; % and _ become .* and .
  return new RegExp(`^${source}$`, 'is');
}

function test(op: CompareOp, value: Comparable | null, bound: Bound): boolean {
  if (bound.kind === 'null') {
    if (op === '=') return value === null;
    if (op === '!=') return value !== null;
    return false;
  }
  if (value === null) return op === '!=';
  if (bound.kind === 'range') {
    const v = value as number;
    switch (op) {
      case '=':
        return v >= bound.start && v < bound.end;
      case '!=':
        return v < bound.start || v >= bound.end;
      case '<':
        return v < bound.start;
      case '<=':
        return v < bound.end;
      case '>':
        return v >= bound.end;
      case '>=':
        return v >= bound.start;
      default:
        return false;
    }
  }
  const b = bound.value;
  switch (op) {
    case '=':
      return value === b;
    case '!=':
      return value !== b;
    case '<':
      return value < b;
    case '<=':
      return value <= b;
    case '>':
      return value > b;
    case '>=':
      return value >= b;
    case 'like':
      return false;
  }
}

export function compileFilter(
  condition:
    { kind: 'compare'; op: CompareOp; value: Literal } | { kind: 'in'; negated: boolean; values: Literal[] },
  field: FieldDef,
  now: number,
): (value: FieldValue) => boolean {
  if (condition.kind === 'in') {
    const bounds = condition.values.map((l) => bind(l, field, now));
    return (raw) => {
      const value = comparable(raw, field);
      const hit = bounds.some((b) => test('=', value, b));
      return condition.negated ? !hit : hit;
    };
  }
  if (condition.op === 'like') {
    if (
      condition.value.kind !== 'string' ||
      (!TEXT_TYPES.has(field.type) && field.type !== 'id' && field.type !== 'reference')
    ) {
      throw filterError(
        `invalid operator on field '${field.name}': LIKE works on text fields with a quoted pattern`,
      );
    }
    const pattern = likeToRegExp(condition.value.value);
    return (raw) => raw !== null && raw !== '' && pattern.test(String(raw));
  }
  const bound = bind(condition.value, field, now);
  const op = condition.op;
  return (raw) => test(op, comparable(raw, field), bound);
}
