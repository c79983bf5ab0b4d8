import { malformedQuery } from '../api/errors.js';

/** SOQL tokens. Keywords are identifiers compared without case, as SOQL does. */
export type Token =
  | { type: 'ident'; value: string; pos: number }
  | { type: 'string'; value: string; pos: number }
  | { type: 'number'; value: number; text: string; pos: number }
  | { type: 'date'; value: string; pos: number }
  | { type: 'datetime'; value: number; text: string; pos: number }
  | { type: 'symbol'; value: string; pos: number }
  | { type: 'eof'; value: ''; pos: number };

const ESCAPES: Record<string, string> = {
  n: '\n',
  r: '\r',
  t: '\t',
  b: '\b',
  f: '\f',
  '"': '"',
  "'": "'",
  '\\': '\\',
  _: '\\_',
  '%': '\\%',
};

// eslint-disable-next-line security/detect-unsafe-regex -- anchored, fixed-width date and time fields
const DATETIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,3})?(?:Z|[+-]\d{2}:?\d{2})/;
const DATE = /^\d{4}-\d{2}-\d{2}(?![\d:T])/;
// eslint-disable-next-line security/detect-unsafe-regex -- anchored; digits, then an optional fraction: no overlap
const NUMBER = /^-?\d+(?:\.\d+)?/;
const IDENT = /^[A-Za-z_][A-Za-z0-9_]*/;

export function tokenize(soql: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < soql.length) {
    const c = soql[i]!;
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    const rest = soql.slice(i);
    if (c === "'") {
      let value = '';
      let j = i + 1;
      for (; j < soql.length && soql[j] !== "'"; j++) {
        if (soql[j] === '\\') {
          const escaped = ESCAPES[soql[j + 1] ?? ''];
          if (escaped === undefined) throw malformedQuery(`invalid escape sequence at column ${j + 1}`);
          value += escaped;
          j++;
        } else {
          value += soql[j];
        }
      }
      if (j >= soql.length) throw malformedQuery(`unterminated string starting at column ${i + 1}`);
      tokens.push({ type: 'string', value, pos: i });
      i = j + 1;
      continue;
    }
    const datetime = DATETIME.exec(rest);
    if (datetime) {
      const text = datetime[0];
      const iso = text.replace(/([+-]\d{2})(\d{2})$/, '$1:$2');
      tokens.push({ type: 'datetime', value: Date.parse(iso), text, pos: i });
      i += text.length;
      continue;
    }
    const date = DATE.exec(rest);
    if (date) {
      tokens.push({ type: 'date', value: date[0], pos: i });
      i += date[0].length;
      continue;
    }
    const number = NUMBER.exec(rest);
    if (number && (c !== '-' || /\d/.test(soql[i + 1] ?? ''))) {
      tokens.push({ type: 'number', value: Number(number[0]), text: number[0], pos: i });
      i += number[0].length;
      continue;
    }
    const ident = IDENT.exec(rest);
    if (ident) {
      tokens.push({ type: 'ident', value: ident[0], pos: i });
      i += ident[0].length;
      continue;
    }
    const two = rest.slice(0, 2);
    if (two === '!=' || two === '<>' || two === '<=' || two === '>=') {
      tokens.push({ type: 'symbol', value: two === '<>' ? '!=' : two, pos: i });
      i += 2;
      continue;
    }
    if ('(),.=<>:'.includes(c)) {
      tokens.push({ type: 'symbol', value: c, pos: i });
      i++;
      continue;
    }
    throw malformedQuery(`unexpected character '${c}' at column ${i + 1}`);
  }
  tokens.push({ type: 'eof', value: '', pos: soql.length });
  return tokens;
}
