import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  SAMPLE_DATA_WRITTEN_AS_OF,
  sampleDateShiftDays,
  shiftIsoDates,
  writeShiftedPlan,
} from '@pipeline-scribe/local-salesforce/org/sample-dates';
import { readDataPlan } from '@pipeline-scribe/local-salesforce/org/seed';
import { startTestOrg, type TestOrg } from '../support/local-org.js';

const PLAN = path.resolve(import.meta.dirname, '../../../scripts/data/sample-data-plan.json');
const DAY = 86_400_000;

let running: TestOrg | null = null;
afterEach(async () => {
  await running?.org.close();
  running = null;
});

describe('the sample data, dated relative to the day it is loaded', () => {
  it('moves in whole weeks, so a Friday call stays on a Friday', () => {
    expect(sampleDateShiftDays(new Date(SAMPLE_DATA_WRITTEN_AS_OF))).toBe(0);
    expect(sampleDateShiftDays(new Date('2026-12-07T09:00:00Z'))).toBe(7);
    expect(sampleDateShiftDays(new Date('2027-03-15T23:00:00Z')) % 7).toBe(0);
    const moved = shiftIsoDates('2026-11-20T21:00:00.000Z', 14);
    expect(moved).toBe('2026-12-04T21:00:00.000Z');
    expect(new Date(moved).getUTCDay()).toBe(new Date('2026-11-20T21:00:00.000Z').getUTCDay());
  });

  it('moves dates inside notes too, and leaves what is not a calendar date alone', () => {
    expect(shiftIsoDates('Roger Lane: send a short business case (by 2026-11-27)', 35)).toBe(
      'Roger Lane: send a short business case (by 2027-01-01)',
    );
    expect(shiftIsoDates('ticket 2026-02-30 and order 12345', 7)).toBe('ticket 2026-02-30 and order 12345');
  });

  it('a local org started months later shows last week’s calls and close dates still ahead', async () => {
    const today = Date.parse('2027-05-19T15:00:00Z');
    const offset = today - Date.now();
    running = await startTestOrg({ now: () => Date.now() + offset });
    const conversations = running.records('Conversation__c');
    expect(conversations.length).toBeGreaterThan(0);
    for (const c of conversations) {
      const age = (today - Date.parse(String(c.Occurred_At__c))) / DAY;
      expect(age).toBeGreaterThanOrEqual(0);
      expect(age).toBeLessThan(21);
    }
    const open = running.records('Opportunity').filter((o) => !String(o.StageName).startsWith('Closed'));
    const ahead = open.filter((o) => Date.parse(String(o.CloseDate)) > today);
    // One sample deal is past its close date on purpose (the hygiene rules flag it); the rest lie ahead.
    expect(ahead.length).toBeGreaterThanOrEqual(open.length - 1);
  });

  it('writes the same moved plan for a scratch org, loadable by sf data import tree', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'scribe-samples-'));
    try {
      const planFile = await writeShiftedPlan(await readDataPlan(PLAN), 7, dir);
      const steps = JSON.parse(await readFile(planFile, 'utf8')) as { sobject: string; files: string[] }[];
      const written = JSON.parse(await readFile(PLAN, 'utf8')) as { sobject: string; files: string[] }[];
      expect(steps).toEqual(written);
      const opportunities = JSON.parse(await readFile(path.join(dir, 'Opportunity.json'), 'utf8')) as {
        records: { CloseDate: string }[];
      };
      const original = (await readDataPlan(PLAN)).find((f) => f.file.endsWith('Opportunity.json'))!;
      expect(
        Date.parse(opportunities.records[0]!.CloseDate) - Date.parse(String(original.records[0]!.CloseDate)),
      ).toBe(7 * DAY);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
