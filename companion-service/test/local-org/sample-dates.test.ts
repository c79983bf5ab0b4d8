import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  SAMPLE_DATA_WRITTEN_AS_OF,
  sampleDateShiftDays,
  shiftIsoDates,
  writeShiftedPlan,
} from '@pipeline-scribe/local-salesforce/org/sample-dates';
import { applySubscriberValues, readDataPlan } from '@pipeline-scribe/local-salesforce/org/seed';
import { DEFAULT_PACKAGE_DIR, readCustomMetadataRecords } from '@pipeline-scribe/force-app-model';
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

describe('the sample org’s closed history and its own settings', () => {
  it('replays each closed deal’s stage path and close-date pushes on their days, owned by the reps', async () => {
    const today = Date.parse('2027-05-19T15:00:00Z');
    const offset = today - Date.now();
    running = await startTestOrg({ now: () => Date.now() + offset });
    const { org } = running;
    const closed = org.store.all('Opportunity').filter((o) => o.IsClosed === true);
    expect(closed.length).toBeGreaterThanOrEqual(40);
    expect(closed.length).toBeLessThanOrEqual(80);
    const won = closed.filter((o) => o.IsWon === true).length;
    expect(won / closed.length).toBeGreaterThan(0.25);
    expect(won / closed.length).toBeLessThan(0.6);
    const reps = new Set(org.users.filter((u) => u.persona === 'rep').map((u) => u.id));
    const history = org.store.all('OpportunityHistory');
    let pushed = 0;
    for (const deal of closed) {
      expect(reps.has(String(deal.OwnerId)), String(deal.Name)).toBe(true);
      const rows = history
        .filter((h) => h.OpportunityId === deal.Id)
        .sort((a, b) => String(a.CreatedDate).localeCompare(String(b.CreatedDate)));
      // Created before it closed, in the months behind the week the org starts in.
      expect(rows[0]!.CreatedDate, String(deal.Name)).toBe(deal.CreatedDate);
      expect(Date.parse(String(deal.CreatedDate))).toBeLessThan(Date.parse(String(deal.CloseDate)));
      expect(Date.parse(String(deal.CloseDate))).toBeLessThan(today);
      expect(today - Date.parse(String(deal.CloseDate))).toBeLessThan(300 * DAY);
      // A path through the open stages, ending in the closed one on the close date.
      expect(rows.length).toBeGreaterThanOrEqual(2);
      expect(rows.at(-1)).toMatchObject({ StageName: deal.StageName, CloseDate: deal.CloseDate });
      expect(String(rows.at(-1)!.CreatedDate).slice(0, 10)).toBe(deal.CloseDate);
      const closeDates = rows.map((r) => String(r.CloseDate));
      if (closeDates.some((d, i) => i > 0 && d > closeDates[i - 1]!)) pushed++;
    }
    expect(pushed).toBeGreaterThanOrEqual(closed.length / 4);
  });

  it('holds the sample org’s own quarterly quota, a field subscribers may change, not the package’s record', async () => {
    running = await startTestOrg();
    const { org } = running;
    const settings = org.schema.object(org.schema.apiName('Scribe_Setting__mdt'))!;
    const quota = org.schema.apiName('Scribe_Setting__mdt.Quarterly_Quota__c').split('.')[1]!;
    const held = org.store.findBy(settings.name, 'DeveloperName', 'Default')[0]!;
    expect(held[quota]).toBe(300_000);
    const shipped = readCustomMetadataRecords(DEFAULT_PACKAGE_DIR).find(
      (r) => r.type === 'Scribe_Setting' && r.developerName === 'Default',
    )!;
    expect(shipped.values.Quarterly_Quota__c ?? null).toBeNull();

    const dir = await mkdtemp(path.join(tmpdir(), 'scribe-settings-'));
    try {
      const file = path.join(dir, 'settings.json');
      await writeFile(file, JSON.stringify({ 'Scribe_Setting.Regional': { Quarterly_Quota__c: 10 } }));
      await expect(applySubscriberValues(org.schema, org.store, DEFAULT_PACKAGE_DIR, file)).rejects.toThrow(
        /Scribe_Setting.Regional is not a custom metadata record of the package/,
      );
      await writeFile(file, JSON.stringify({ 'Scribe_Setting.Default': { Quarterly_Target__c: 10 } }));
      await expect(applySubscriberValues(org.schema, org.store, DEFAULT_PACKAGE_DIR, file)).rejects.toThrow(
        /has no field Quarterly_Target__c/,
      );
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
