import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { StoreSnapshot } from './record-store.js';

/**
 * Keeps the local org's records in one JSON file under the data folder. Writes are batched (a burst
 * of requests writes the file once) and atomic (a temporary file renamed over the old one), so a
 * crash never leaves half a file; close() writes whatever is pending. The file holds what customers
 * said (conversations, contacts' emails), so only its owner may read it (0600), whatever the umask.
 */
export class FilePersistence {
  private timer: NodeJS.Timeout | null = null;
  private pending: (() => StoreSnapshot) | null = null;

  constructor(
    readonly file: string,
    private readonly delayMs = 25,
  ) {}

  load(): StoreSnapshot | null {
    if (!existsSync(this.file)) return null;
    // A file written before its mode was set is closed now rather than at the next write.
    chmodSync(this.file, 0o600);
    let parsed: unknown;
    try {
      parsed = JSON.parse(readFileSync(this.file, 'utf8'));
    } catch (error) {
      throw new Error(
        `the local org's data file ${this.file} is not valid JSON (${(error as Error).message}); delete it to start again from the sample data`,
      );
    }
    const snapshot = parsed as Partial<StoreSnapshot>;
    if (snapshot.version !== 1 || !snapshot.records || !snapshot.counters) {
      throw new Error(
        `the local org's data file ${this.file} is not a local org snapshot; delete it to start again from the sample data`,
      );
    }
    return {
      version: 1,
      counters: snapshot.counters,
      records: snapshot.records,
      deleted: snapshot.deleted ?? {},
    };
  }

  schedule(snapshot: () => StoreSnapshot): void {
    this.pending = snapshot;
    if (this.timer) return;
    this.timer = setTimeout(() => this.flush(), this.delayMs);
    this.timer.unref();
  }

  flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const take = this.pending;
    this.pending = null;
    if (!take) return;
    mkdirSync(path.dirname(this.file), { recursive: true });
    const tmp = `${this.file}.${process.pid}.tmp`;
    // The mode applies when the file is created; the temporary file is always new, and the rename
    // replaces an older, wider file with it.
    writeFileSync(tmp, JSON.stringify(take()), { mode: 0o600 });
    renameSync(tmp, this.file);
  }
}
