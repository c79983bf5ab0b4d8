import { readFile } from 'node:fs/promises';
import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';

/** `scribe audit` as sales ops run it: a real process on the shared exports, its output and exit code. */
const SERVICE = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const DATA = path.resolve(SERVICE, '../../shared/data');
const MAVEN = path.join(DATA, 'maven-crm/sales_pipeline.csv');
const ORG = path.join(DATA, 'salesforce-dev-org');
const CLI_TIMEOUT = 120_000;

function scribe(...args: string[]): Promise<{ code: number | null; stdout: string; stderr: string[] }> {
  const env = { ...process.env };
  delete env.SCRIBE_PACKAGE_DIR;
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['bin/scribe.js', 'audit', ...args], { cwd: SERVICE, env });
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

describe('scribe audit', () => {
  it(
    'audits maven-crm as of its last day in markdown: flags, completeness, close-outs and the three to focus on',
    async () => {
      const run = await scribe('--opportunities', MAVEN, '--as-of', '2017-12-31');
      expect(run.stderr).toEqual([]);
      expect(run.code).toBe(0);
      const md = run.stdout;
      expect(md).toMatch(/^# Pipeline hygiene audit, as of 2017-12-31/);
      expect(md).toContain('- 2089 open deals');
      expect(md).toMatch(/\| Stale \| Hygiene \| \d+ \| 500 \| Risk_Rule__mdt\.Stale \|/);
      expect(md).toContain('## Completeness by rep');
      expect(md).toContain('Stage "Engaging"');
      expect(md).not.toContain('days after the newest date in the data');
      const focus = md.split('### Three deals to focus on')[1]!.split('###')[0]!;
      expect(focus.match(/^\d\. \*\*/gm)).toHaveLength(3);
      expect(md).toMatch(/### Close-out candidates \(\d{3,}\)/);
    },
    CLI_TIMEOUT,
  );

  it(
    'audits the Salesforce export with its history as JSON, and says when the as-of date is far past the data',
    async () => {
      const run = await scribe(
        '--opportunities',
        path.join(ORG, 'Opportunity.csv'),
        '--history',
        path.join(ORG, 'OpportunityHistory.csv'),
        '--as-of',
        '2027-06-30',
        '--format',
        'json',
      );
      expect(run.stderr).toEqual([]);
      expect(run.code).toBe(0);
      const audit = JSON.parse(run.stdout);
      expect(audit.source.historyRows).toBe(48);
      expect(audit.totals.open).toBeGreaterThan(0);
      expect(audit.warnings[0]).toMatch(/pass --as-of 2026-\d\d-\d\d/);
      const skipped = audit.flagCounts.find((f: { signal: string }) => f.signal === 'Skipped_Stage');
      expect(skipped.deals).toBeGreaterThan(0);
      expect(audit.deals[0].risk.factors[0]).toEqual(
        expect.objectContaining({
          rule: expect.stringMatching(/^Risk_Rule__mdt\./),
          weight: expect.any(Number),
        }),
      );
    },
    CLI_TIMEOUT,
  );

  it(
    'takes each deal as its record stands where no later history row says otherwise',
    async () => {
      // This real export's history rows all carry a close date years before the records' own; with
      // nothing recorded since, the record is how the deal stands.
      const run = await scribe(
        '--opportunities',
        path.join(ORG, 'Opportunity.csv'),
        '--history',
        path.join(ORG, 'OpportunityHistory.csv'),
        '--as-of',
        '2026-03-31',
        '--format',
        'json',
      );
      expect(run.code).toBe(0);
      const audit = JSON.parse(run.stdout) as { deals: { opportunityId: string; closeDate: string }[] };
      const records = parse(await readFile(path.join(ORG, 'Opportunity.csv'), 'utf8'), {
        columns: true,
      }) as Record<string, string>[];
      const closeOf = new Map(records.map((r) => [r.Id, r.CloseDate]));
      expect(audit.deals.length).toBeGreaterThan(0);
      for (const deal of audit.deals) {
        const [month, day, year] = closeOf.get(deal.opportunityId)!.split('/');
        expect(deal.closeDate).toBe(`20${year}-${month}-${day}`);
      }
    },
    CLI_TIMEOUT,
  );

  it(
    'writes one CSV row per open deal with its status, risk and action',
    async () => {
      const run = await scribe(
        '--opportunities',
        path.join(ORG, 'Opportunity.csv'),
        '--as-of',
        '2026-03-31',
        '--format',
        'csv',
      );
      expect(run.code).toBe(0);
      const rows = parse(run.stdout, { columns: true }) as Record<string, string>[];
      expect(rows.length).toBeGreaterThan(0);
      expect(Object.keys(rows[0]!)).toEqual(
        expect.arrayContaining(['opportunity_id', 'status', 'risk_score', 'flags', 'next_best_action']),
      );
      expect(new Set(rows.map((r) => r.opportunity_id)).size).toBe(rows.length);
      for (const row of rows) expect(Number(row.risk_score)).toBeLessThanOrEqual(100);
    },
    CLI_TIMEOUT,
  );

  it(
    'fails with one line naming the problem',
    async () => {
      const missing = await scribe('--as-of', '2017-12-31');
      expect(missing.code).toBe(2);
      expect(missing.stderr).toEqual([
        'scribe: --opportunities is required: the opportunity export (CSV) to audit',
      ]);
      const format = await scribe('--opportunities', MAVEN, '--format', 'xml');
      expect(format.stderr).toEqual(['scribe: --format "xml" is not known; use md, json or csv']);
    },
    CLI_TIMEOUT,
  );
});
