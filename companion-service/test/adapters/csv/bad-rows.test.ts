import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadPipelineRules } from '../../../src/adapters/metadata/package-metadata.js';
import { readPipelineExport } from '../../../src/adapters/csv/read-pipeline-columns.js';
import { readOpportunities } from '../../../src/adapters/csv/read-pipeline-csv.js';
import { SkippedRows } from '../../../src/adapters/csv/csv-table.js';
import { generatePipeline } from '../../../bench/generate-pipeline.js';

/**
 * A 100,000-row export with a few rows no reader can take: each is named by file, line and column
 * and left out, and the rest is read as if those rows had never been in the file.
 */

const cell = (value: unknown) => {
  const text = value === null || value === undefined ? '' : String(value);
  return /[",\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
};
const csv = (rows: unknown[][]) => rows.map((r) => r.map(cell).join(',')).join('\n') + '\n';

const OPPORTUNITY_HEADER = [
  'Id',
  'Name',
  'StageName',
  'IsClosed',
  'IsWon',
  'Amount',
  'CreatedDate',
  'CloseDate',
];
const HISTORY_HEADER = ['OpportunityId', 'CreatedDate', 'StageName', 'Amount', 'CloseDate'];

let dir: string;
let opportunityRows: unknown[][];
let historyRows: unknown[][];

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'scribe-bad-rows-'));
  const rules = await loadPipelineRules();
  const data = generatePipeline(10_000, rules.stages, '2026-03-31', { revisions: true, contacts: false });
  opportunityRows = data.opportunities.map((o) => [
    o.id,
    o.name,
    o.stage,
    o.isClosed,
    o.isWon,
    o.amount,
    o.createdDate,
    o.closeDate,
  ]);
  historyRows = data.history.map((c) => [c.opportunityId, c.date, c.stage, c.amount, c.closeDate]);
  // Padded to a full hundred thousand rows with each deal's last row again, a day later.
  for (let i = 0; historyRows.length < 100_000; i++) {
    const o = data.opportunities[i % data.opportunities.length]!;
    historyRows.push([o.id, o.createdDate, o.stage, o.amount, o.closeDate]);
  }
});

const same = (a: ArrayBufferView, b: ArrayBufferView | null) =>
  b !== null &&
  Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(Buffer.from(b.buffer, b.byteOffset, b.byteLength));

/** The rows with some broken, each at a known line (the header is line 1, row r is line r + 2). */
function broken(rows: unknown[][], faults: Map<number, (row: unknown[]) => unknown[]>): unknown[][] {
  return rows.map((row, r) => faults.get(r)?.(row) ?? row);
}

describe('a malformed row in a large export', () => {
  it('is named by line and column and skipped, and the other 99,996 history rows are read', async () => {
    const faults = new Map<number, (row: unknown[]) => unknown[]>([
      [10, (r) => [r[0], r[1], r[2], '12,5OO', r[4]]],
      [50_000, (r) => [r[0], 'yesterday', r[2], r[3], r[4]]],
      [77_777, (r) => [...r, 'a note that was meant for the next column']],
      [99_990, (r) => ['', r[1], r[2], r[3], r[4]]],
    ]);
    const opportunitiesFile = path.join(dir, 'opportunities.csv');
    await writeFile(opportunitiesFile, csv([OPPORTUNITY_HEADER, ...opportunityRows]));
    const historyFile = path.join(dir, 'history.csv');
    await writeFile(historyFile, csv([HISTORY_HEADER, ...broken(historyRows, faults)]));
    const cleanFile = path.join(dir, 'history-clean.csv');
    await writeFile(cleanFile, csv([HISTORY_HEADER, ...historyRows.filter((_, r) => !faults.has(r))]));

    const skip = new SkippedRows();
    const read = await readPipelineExport(opportunitiesFile, { historyFile, skip });
    expect(read.historyRows).toBe(100_000 - 4);
    expect(skip.count).toBe(4);
    expect(skip.listed.map((e) => [e.line, e.column])).toEqual([
      [12, 'Amount'],
      [50_002, 'CreatedDate'],
      [77_779, null],
      [99_992, 'OpportunityId'],
    ]);
    expect(skip.listed[0]!.message).toBe(
      `${historyFile} line 12, column "Amount": "12,5OO" is not a number; write it as digits, e.g. 125000 or 1250.50`,
    );
    expect(skip.listed[2]!.problem).toMatch(/6 cells under a header of 5; check for an unquoted comma/);

    const clean = (await readPipelineExport(opportunitiesFile, { historyFile: cleanFile })).columns;
    for (const [name, column] of Object.entries(read.columns.history))
      if (column !== null)
        expect(same(column, clean.history[name as keyof typeof clean.history]), name).toBe(true);

    // Without a place to report them, the first bad row still refuses the file, as before.
    await expect(readPipelineExport(opportunitiesFile, { historyFile })).rejects.toThrow(
      /history\.csv line 12, column "Amount"/,
    );
  });

  it('skips a bad opportunity row and keeps the deals around it, and a second row for one deal', async () => {
    const rows = broken(
      opportunityRows,
      new Map([
        [3, (r: unknown[]) => [r[0], r[1], r[2], 'maybe', r[4], r[5], r[6], r[7]]],
        [9_000, (r: unknown[]) => [r[0], r[1], r[2], r[3], r[4], r[5], r[6], '31/31/2026']],
      ]),
    );
    rows.push(opportunityRows[5]!);
    const file = path.join(dir, 'opportunities-bad.csv');
    await writeFile(file, csv([OPPORTUNITY_HEADER, ...rows]));
    const skip = new SkippedRows();
    const read = await readOpportunities(file, { skip });
    expect(read.opportunities).toHaveLength(10_000 - 2);
    expect(read.opportunities.map((o) => o.id)).not.toContain(opportunityRows[3]![0]);
    expect(skip.listed.map((e) => `${e.line} ${e.column}: ${e.problem}`)).toEqual([
      '5 IsClosed: "maybe" is not a yes/no value; use TRUE or FALSE',
      '9002 CloseDate: "31/31/2026" is not a date; use YYYY-MM-DD, MM/DD/YY, MM/DD/YYYY, DD/MM/YYYY or DD.MM.YYYY',
      `10002 Id: opportunity "${String(opportunityRows[5]![0])}" appears again (first on line 7); export one row per opportunity`,
    ]);
  });

  it('refuses a file none of whose rows can be read, naming the first: a format, not a few rows', async () => {
    const file = path.join(dir, 'all-bad.csv');
    await writeFile(
      file,
      csv([
        OPPORTUNITY_HEADER,
        ...opportunityRows.slice(0, 50).map((r) => [...r.slice(0, 5), 'n/a', ...r.slice(6)]),
      ]),
    );
    await expect(readOpportunities(file, { skip: new SkippedRows() })).rejects.toThrow(
      /all-bad\.csv line 2, column "Amount": "n\/a" is not a number/,
    );
  });
});
