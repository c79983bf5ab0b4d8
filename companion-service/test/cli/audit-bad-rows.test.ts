import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { beforeAll, describe, expect, it } from 'vitest';
import { runAudit } from '../../src/cli/audit-command.js';

/**
 * `scribe audit` on an export with rows it cannot read: the audit of the rest goes on, and the
 * report, the json and stderr each say which rows were left out and why.
 */

class Collect extends Writable {
  text = '';
  override _write(chunk: Buffer, _encoding: string, done: () => void) {
    this.text += chunk.toString();
    done();
  }
}

let opportunities: string;
let history: string;

beforeAll(async () => {
  const dir = await mkdtemp(path.join(tmpdir(), 'scribe-audit-bad-'));
  opportunities = path.join(dir, 'Opportunity.csv');
  history = path.join(dir, 'OpportunityHistory.csv');
  const deals = Array.from({ length: 30 }, (_, i) => [
    `006A${String(i).padStart(4, '0')}`,
    `Deal ${i}`,
    'Rep One',
    i % 3 === 0 ? 'Prospecting' : 'Negotiation/Review',
    i === 7 ? '$12k' : String(10_000 + i * 500),
    '2026-01-05',
    '2026-04-30',
    '',
  ]);
  await writeFile(
    opportunities,
    ['Id,Name,Owner,StageName,Amount,CreatedDate,CloseDate,NextStep', ...deals.map((d) => d.join(','))].join(
      '\n',
    ) + '\n',
  );
  await writeFile(
    history,
    [
      'OpportunityId,CreatedDate,StageName,Amount,CloseDate',
      ...deals.map((d) => `${d[0]},2026-01-05,Prospecting,10000,2026-03-31`),
      `006A0001,2026-02-31,Negotiation/Review,11000,2026-04-30`,
    ].join('\n') + '\n',
  );
});

async function audit(format: string) {
  const out = new Collect();
  const errors = new Collect();
  const code = await runAudit(
    ['--opportunities', opportunities, '--history', history, '--as-of', '2026-03-31', '--format', format],
    out,
    '2026-03-31',
    errors,
  );
  return { code, out: out.text, errors: errors.text.trim().split('\n') };
}

describe('scribe audit with rows it cannot read', () => {
  it('audits the rest and names each skipped row by file, line and column in the report and on stderr', async () => {
    const run = await audit('md');
    expect(run.code).toBe(0);
    expect(run.errors).toEqual([
      `scribe: skipped ${opportunities} line 9, column "Amount": "$12k" is not a number; write it as digits, e.g. 125000 or 1250.50`,
      `scribe: skipped ${history} line 32, column "CreatedDate": "2026-02-31" is not a date; use YYYY-MM-DD, MM/DD/YY, MM/DD/YYYY, DD/MM/YYYY or DD.MM.YYYY`,
    ]);
    expect(run.out).toContain('> **Note:** 2 rows could not be read and are left out of this audit');
    expect(run.out).toContain(`> - ${opportunities} line 9, Amount: "$12k" is not a number`);
    expect(run.out).toContain(`: 29 opportunities; ${history}: 30 history rows`);
    expect(run.out).not.toContain('006A0007');
    expect(run.out).toContain('006A0008');
  });

  it('lists the skipped rows in the json source', async () => {
    const run = await audit('json');
    const report = JSON.parse(run.out) as {
      source: { skippedRows: number; badRows: { line: number; column: string | null }[]; rows: number };
      totals: { opportunities: number };
    };
    expect(report.source.skippedRows).toBe(2);
    expect(report.source.badRows.map((b) => [b.line, b.column])).toEqual([
      [9, 'Amount'],
      [32, 'CreatedDate'],
    ]);
    expect(report.source.rows).toBe(29);
    expect(report.totals.opportunities).toBe(29);
  });
});
