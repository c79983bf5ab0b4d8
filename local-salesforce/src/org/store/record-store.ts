import type { OrgSchema } from '../schema/types.js';
import { makeId } from '../schema/ids.js';

/**
 * The local org's data: records per object, deleted records kept aside (so a write to one fails with
 * ENTITY_IS_DELETED, as in the recycle bin), indexes on lookups and unique fields, and transactions
 * with rollback for all-or-none requests. Everything here is synchronous, so a request's reads and
 * writes never interleave with another's.
 */

export type FieldValue = string | number | boolean | null;
export type SObjectRecord = Record<string, FieldValue> & { Id: string };

interface JournalEntry {
  object: string;
  id: string;
  live: SObjectRecord | undefined;
  deleted: SObjectRecord | undefined;
}

export interface StoreSnapshot {
  version: 1;
  counters: Record<string, number>;
  records: Record<string, SObjectRecord[]>;
  deleted: Record<string, SObjectRecord[]>;
}

export class RecordStore {
  private readonly live = new Map<string, Map<string, SObjectRecord>>();
  private readonly deleted = new Map<string, Map<string, SObjectRecord>>();
  /** object → field → value (lower case) → ids; records always use the schema's field names. */
  private readonly indexes = new Map<string, Map<string, Map<string, Set<string>>>>();
  private counters: Record<string, number> = {};
  private journal: JournalEntry[] = [];
  private depth = 0;
  private committed: (() => void)[] = [];

  constructor(
    private readonly schema: OrgSchema,
    private readonly onCommit: () => void = () => {},
  ) {
    for (const object of schema.objects()) {
      this.live.set(object.name, new Map());
      this.deleted.set(object.name, new Map());
      const indexed = new Map<string, Map<string, Set<string>>>();
      for (const f of object.fields.values()) {
        if (f.type === 'reference' || f.externalId || f.unique) indexed.set(f.name, new Map());
      }
      this.indexes.set(object.name, indexed);
    }
  }

  newId(object: string): string {
    const def = this.schema.object(object)!;
    const n = (this.counters[def.keyPrefix] ?? 0) + 1;
    this.counters[def.keyPrefix] = n;
    return makeId(def.keyPrefix, n);
  }

  get(object: string, id: string): SObjectRecord | undefined {
    return this.live.get(object)?.get(id);
  }

  getDeleted(object: string, id: string): SObjectRecord | undefined {
    return this.deleted.get(object)?.get(id);
  }

  all(object: string, includeDeleted = false): SObjectRecord[] {
    const records = [...(this.live.get(object)?.values() ?? [])];
    return includeDeleted ? records.concat([...(this.deleted.get(object)?.values() ?? [])]) : records;
  }

  /** How many records the object holds (live, or live and deleted), without copying them. */
  count(object: string, includeDeleted = false): number {
    const live = this.live.get(object)?.size ?? 0;
    return includeDeleted ? live + (this.deleted.get(object)?.size ?? 0) : live;
  }

  /** Ids whose indexed field holds the value (case-insensitive, as Salesforce compares them). */
  findBy(object: string, fieldName: string, value: string): SObjectRecord[] {
    const index = this.indexes.get(object)?.get(fieldName);
    if (!index) {
      const wanted = value.toLowerCase();
      return this.all(object).filter((r) => String(r[fieldName] ?? '').toLowerCase() === wanted);
    }
    const ids = index.get(value.toLowerCase());
    return ids ? [...ids].map((id) => this.get(object, id)!).filter(Boolean) : [];
  }

  put(object: string, record: SObjectRecord): void {
    this.remember(object, record.Id);
    const table = this.live.get(object)!;
    const before = table.get(record.Id);
    if (before) this.unindex(object, before);
    table.set(record.Id, record);
    this.deleted.get(object)!.delete(record.Id);
    this.index(object, record);
  }

  remove(object: string, id: string): void {
    const record = this.get(object, id);
    if (!record) return;
    this.remember(object, id);
    this.unindex(object, record);
    this.live.get(object)!.delete(id);
    this.deleted.get(object)!.set(id, { ...record, IsDeleted: true });
  }

  /** Runs fn atomically: if it throws, every change it made is undone. Nested calls join the outer one. */
  atomic<T>(fn: () => T): T {
    const mark = this.journal.length;
    const committedMark = this.committed.length;
    this.depth++;
    try {
      const result = fn();
      this.depth--;
      if (this.depth === 0) {
        this.journal = [];
        this.onCommit();
        this.runCommitted();
      }
      return result;
    } catch (error) {
      this.rollbackTo(mark);
      this.committed.length = committedMark;
      this.depth--;
      if (this.depth === 0) this.journal = [];
      throw error;
    }
  }

  /**
   * Runs fn once the outermost transaction commits, and never if it rolls back: platform events
   * published after commit, as the package's events are.
   */
  afterCommit(fn: () => void): void {
    if (this.depth === 0) fn();
    else this.committed.push(fn);
  }

  private runCommitted(): void {
    const due = this.committed;
    this.committed = [];
    for (const fn of due) fn();
  }

  /** Every record of the objects `keep` accepts, to save and restore later. */
  snapshot(keep: (object: string) => boolean = () => true): StoreSnapshot {
    const dump = (tables: Map<string, Map<string, SObjectRecord>>) =>
      Object.fromEntries(
        [...tables]
          .filter(([name, t]) => t.size > 0 && keep(name))
          .map(([name, t]) => [name, [...t.values()]]),
      );
    return {
      version: 1,
      counters: { ...this.counters },
      records: dump(this.live),
      deleted: dump(this.deleted),
    };
  }

  /** Loads a snapshot; records of objects the package no longer defines are left out. */
  restore(snapshot: StoreSnapshot): void {
    this.counters = { ...snapshot.counters };
    for (const [object, records] of Object.entries(snapshot.records)) {
      if (!this.live.has(object)) continue;
      for (const record of records) this.put(object, record);
    }
    for (const [object, records] of Object.entries(snapshot.deleted)) {
      if (!this.deleted.has(object)) continue;
      for (const record of records) this.deleted.get(object)!.set(record.Id, record);
    }
    this.journal = [];
  }

  private remember(object: string, id: string): void {
    if (this.depth === 0) return;
    const live = this.live.get(object)!.get(id);
    const deleted = this.deleted.get(object)!.get(id);
    this.journal.push({ object, id, live: live && { ...live }, deleted: deleted && { ...deleted } });
  }

  private rollbackTo(mark: number): void {
    while (this.journal.length > mark) {
      const entry = this.journal.pop()!;
      const table = this.live.get(entry.object)!;
      const current = table.get(entry.id);
      if (current) this.unindex(entry.object, current);
      table.delete(entry.id);
      this.deleted.get(entry.object)!.delete(entry.id);
      if (entry.live) {
        table.set(entry.id, entry.live);
        this.index(entry.object, entry.live);
      }
      if (entry.deleted) this.deleted.get(entry.object)!.set(entry.id, entry.deleted);
    }
  }

  private index(object: string, record: SObjectRecord): void {
    for (const [fieldName, index] of this.indexes.get(object)!) {
      const value = valueOf(record, fieldName);
      if (value === null) continue;
      const ids = index.get(value) ?? new Set<string>();
      ids.add(record.Id);
      index.set(value, ids);
    }
  }

  private unindex(object: string, record: SObjectRecord): void {
    for (const [fieldName, index] of this.indexes.get(object)!) {
      const value = valueOf(record, fieldName);
      if (value !== null) index.get(value)?.delete(record.Id);
    }
  }
}

function valueOf(record: SObjectRecord, fieldName: string): string | null {
  const v = record[fieldName];
  return v === null || v === undefined || v === '' ? null : String(v).toLowerCase();
}
