import { createHash } from 'node:crypto';
import type { Queryable } from './conversation-table.js';

/**
 * pg-boss's statements run through a connection as named prepared statements: Postgres parses and
 * plans each once per connection instead of at every call, which for the worker's fetch and
 * completion (a few per conversation, the same text every time) is most of their cost. Named after
 * the text, so another pg-boss version's statement is prepared under another name. Only for
 * statements whose text does not vary with their values, or each variant would be prepared anew.
 */

const names = new Map<string, string>();

function nameOf(text: string): string {
  let name = names.get(text);
  if (!name) {
    name = `scribe-sql-${createHash('sha256').update(text).digest('hex').slice(0, 16)}`;
    names.set(text, name);
  }
  return name;
}

/** pg-boss's `db` option: its statements through `db`, each prepared once per connection. */
export const preparedSql = (db: Queryable) => ({
  executeSql: (text: string, values: unknown[]) => db.query({ name: nameOf(text), text, values }),
});
