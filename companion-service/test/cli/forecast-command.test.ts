import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEV_ORG, MAVEN_PIPELINE, withSharedData } from '../support/shared-data.js';

/** `scribe forecast` as a user runs it: a real process, its exit code, stdout, and one stderr line on failure. */
const SERVICE = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const CLI_TIMEOUT = 60_000;

function scribe(...args: string[]): Promise<{ code: number | null; stdout: string; stderr: string[] }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['bin/scribe.js', 'forecast', ...args], { cwd: SERVICE });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) =>
      resolve({
        code,
        stdout,
        stderr: stderr.split('\n').filter((l) => l.trim() && !l.startsWith('npm warn')),
      }),
    );
  });
}

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'scribe-forecast-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('scribe forecast', () => {
  it(
    'writes one row per deal open at the as-of date with opportunity_id and a probability, from a report export',
    async () => {
      const file = path.join(dir, 'report.csv');
      const rows = ['"Opportunity ID","Stage","Amount","Created Date","Close Date","Opportunity Owner"'];
      for (let i = 0; i < 80; i++) {
        const created = `2025-0${1 + (i % 6)}-1${i % 10}`;
        const closed = i % 4 !== 0;
        rows.push(
          `"O${i}","${closed ? (i % 3 ? 'Closed Won' : 'Closed Lost') : 'Negotiation/Review'}","${1000 + i}","${created}","2025-0${Math.min(9, 3 + (i % 6))}-0${1 + (i % 9)}","Rep ${i % 3}"`,
        );
      }
      await writeFile(file, rows.join('\n') + '\n');
      const run = await scribe('--opportunities', file, '--as-of', '2025-06-30', '--format', 'csv');
      expect(run.stderr).toEqual([]);
      expect(run.code).toBe(0);
      const [header, ...lines] = run.stdout.trim().split('\n');
      expect(header!.startsWith('opportunity_id,probability')).toBe(true);
      expect(lines.length).toBeGreaterThan(0);
      for (const line of lines) {
        const p = Number(line.split(',')[1]);
        expect(p).toBeGreaterThanOrEqual(0);
        expect(p).toBeLessThanOrEqual(1);
      }
    },
    CLI_TIMEOUT,
  );

  it.runIf(withSharedData)(
    'on maven-crm, scores exactly the deals open at the as-of date, none created later or closed before',
    async () => {
      const run = await scribe('--opportunities', MAVEN_PIPELINE, '--as-of', '2017-06-30', '--format', 'csv');
      expect(run.code).toBe(0);
      const ids = run.stdout
        .trim()
        .split('\n')
        .slice(1)
        .map((l) => l.split(',')[0]);
      const source = (await readFile(MAVEN_PIPELINE, 'utf8'))
        .trim()
        .split('\n')
        .slice(1)
        .map((l) => l.split(','));
      const open = source
        .filter((c) => c[5] && c[5] <= '2017-06-30' && (!c[6] || c[6] > '2017-06-30'))
        .map((c) => c[0]);
      expect(ids.sort()).toEqual(open.sort());
    },
    CLI_TIMEOUT,
  );

  it.runIf(withSharedData)(
    'writes the JSON report and its two SVG charts beside it with --out, on the dev-org export with history',
    async () => {
      const out = path.join(dir, 'dev.json');
      const run = await scribe(
        '--opportunities',
        path.join(DEV_ORG, 'Opportunity.csv'),
        '--history',
        path.join(DEV_ORG, 'OpportunityHistory.csv'),
        '--as-of',
        '2026-03-31',
        '--out',
        out,
      );
      expect(run.stderr).toEqual([]);
      expect(run.code).toBe(0);
      const report = JSON.parse(await readFile(out, 'utf8'));
      expect(report.opportunities.length).toBe(16);
      expect(report.quarter.value.p10).toBeLessThanOrEqual(report.quarter.value.p90);
      expect(report.calibration.note).toMatch(/only 20 closed deals/);
      // The slip warning on every deal: a chance, or why there is none; flagged at the settings' 0.6.
      expect(report.slipModel.warningAt).toBe(0.6);
      for (const o of report.opportunities) {
        if (o.slip.probability === null) expect(o.slip.reason).toMatch(/no close date|has already passed/);
        else expect(o.slip.likelyToSlip).toBe(o.slip.probability >= 0.6);
        expect(o.drivers.length).toBeLessThanOrEqual(3);
      }
      // The week's change adds up, to the cent, to the change in the weighted forecast.
      const cents = (v: number) => Math.round(v * 100);
      const buckets = Object.values(report.weekChange.buckets) as { weightedChange: number }[];
      expect(buckets.reduce((sum, b) => sum + cents(b.weightedChange), 0)).toBe(
        cents(report.weekChange.after.weighted) - cents(report.weekChange.before.weighted),
      );
      const range = await readFile(path.join(dir, 'dev-forecast-range.svg'), 'utf8');
      expect(range).toMatch(/^<svg[\s\S]*P50[\s\S]*<\/svg>/);
      // Both axes, amounts in the package's Default Currency (USD).
      expect(range).toContain('class="y-axis"');
      expect(range).toMatch(/<text class="x-tick"[^>]*>\$0<\/text>/);
      expect(range).toContain('share of simulated quarters');
      expect(await readFile(path.join(dir, 'dev-calibration.svg'), 'utf8')).toMatch(/stated probability/);
    },
    CLI_TIMEOUT,
  );

  it.runIf(withSharedData)(
    'refuses a history whose row is dated before its opportunity was created, naming the row',
    async () => {
      const history = (await readFile(path.join(DEV_ORG, 'OpportunityHistory.csv'), 'utf8')).split('\n');
      // The first row's CreatedDate moves from the day the record was created to years before it.
      history[1] = history[1]!.replace(/^([^,]*,[^,]*,[^,]*,)[^,]*/, '$101/05/20 08:55 PM');
      const file = path.join(dir, 'history-out-of-order.csv');
      await writeFile(file, history.join('\n'));
      const run = await scribe(
        '--opportunities',
        path.join(DEV_ORG, 'Opportunity.csv'),
        '--history',
        file,
        '--as-of',
        '2026-03-31',
      );
      expect(run.code).toBe(2);
      expect(run.stdout).toBe('');
      expect(run.stderr).toEqual([
        expect.stringMatching(
          /history-out-of-order\.csv: history row 1 \(006bm00000LKJNNAA5, Qualification\) is dated 2020-01-05, before the opportunity was created on 2026-02-23/,
        ),
      ]);
    },
    CLI_TIMEOUT,
  );

  it(
    'says what is missing, in one line, with a usage exit code',
    async () => {
      const run = await scribe('--as-of', '2025-01-01');
      expect(run.code).toBe(2);
      expect(run.stderr).toEqual([
        'scribe: --opportunities is required: the opportunity export (CSV) to forecast',
      ]);
      const bad = await scribe('--opportunities', 'x.csv', '--as-of', '2025-02-30');
      expect(bad.stderr[0]).toMatch(/--as-of "2025-02-30" is not a date/);
      const missing = await scribe('--opportunities', path.join(dir, 'nope.csv'), '--as-of', '2025-01-01');
      expect(missing.code).toBe(1);
      expect(missing.stderr).toEqual([
        expect.stringMatching(/cannot read --opportunities .*nope\.csv: no such file/),
      ]);
    },
    CLI_TIMEOUT,
  );
});
