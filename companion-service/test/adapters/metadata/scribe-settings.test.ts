import { cp, mkdtemp, readFile, rm, unlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  DEFAULT_PACKAGE_DIR,
  loadPackageRules,
  loadPipelineRules,
  readMetadataRecords,
} from '../../../src/adapters/metadata/package-metadata.js';
import {
  slipWarningFromRecords,
  thresholdsFromRecords,
} from '../../../src/adapters/metadata/scribe-settings.js';

const RECORDS = 'main/configuration/customMetadata';
const SETTINGS = 'Scribe_Setting.Default.md-meta.xml';

describe('the pipeline thresholds in the package', () => {
  it('are the values the Default record ships', async () => {
    expect((await loadPipelineRules()).thresholds).toEqual({
      forecastCutoffs: { commit: 0.7, bestCase: 0.4 },
      actionTiming: { dueSoonDays: 2, dueThisWeekDays: 7, fullSilenceDays: 30 },
      recentConversationDays: 90,
      reviewBands: { atRisk: 50, watch: 20 },
      reviewConfidence: { high: 0.6, low: 0.4 },
    });
  });
});

describe('the pipeline thresholds fail closed', () => {
  let dir: string;
  const file = () => path.join(dir, RECORDS, SETTINGS);

  async function setValue(field: string, value: string): Promise<void> {
    const xml = await readFile(file(), 'utf8');
    const pattern = new RegExp(`(<field>${field}</field>\\s*)<value[^>]*?(/>|>[^<]*</value>)`);
    const changed = xml.replace(pattern, `$1${value}`);
    expect(changed).not.toBe(xml);
    await writeFile(file(), changed);
  }

  async function loadError(): Promise<string> {
    try {
      await loadPipelineRules(dir);
    } catch (error) {
      return (error as Error).message;
    }
    throw new Error('expected the package to be rejected');
  }

  beforeEach(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'scribe-settings-'));
    await cp(path.join(DEFAULT_PACKAGE_DIR, RECORDS), path.join(dir, RECORDS), { recursive: true });
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('name the file and the field an admin blanked, and where to set it', async () => {
    await setValue('Commit_Probability__c', '<value xsi:nil="true"/>');
    const message = await loadError();
    expect(message).toContain(`${file()}: Commit_Probability__c is missing`);
    expect(message).toContain('Setup > Custom Metadata Types > Scribe Setting > Default');
  });

  it('hold the stage suggestions to the evidence the record asks for, and name the field when it is blank', async () => {
    expect((await loadPackageRules(dir)).stageRules.weakSignalMentions).toBe(2);
    await setValue('Weak_Signal_Mentions__c', '<value xsi:nil="true"/>');
    await expect(loadPackageRules(dir)).rejects.toThrow(`${file()}: Weak_Signal_Mentions__c is missing`);
    await setValue('Weak_Signal_Mentions__c', '<value xsi:type="xsd:double">0</value>');
    await expect(loadPackageRules(dir)).rejects.toThrow(/Weak_Signal_Mentions__c has 0: /);
  });

  it("flag a deal as likely to slip at the record's share, and refuse a blank or a percent", async () => {
    expect(slipWarningFromRecords(await readMetadataRecords(dir))).toBe(0.6);
    await setValue('Slip_Warning_Probability__c', '<value xsi:nil="true"/>');
    await expect(readMetadataRecords(dir).then(slipWarningFromRecords)).rejects.toThrow(
      `${file()}: Slip_Warning_Probability__c is missing`,
    );
    await setValue('Slip_Warning_Probability__c', '<value xsi:type="xsd:double">60</value>');
    await expect(readMetadataRecords(dir).then(slipWarningFromRecords)).rejects.toThrow(
      /Slip_Warning_Probability__c has 60: /,
    );
  });

  it('name the field and the value out of range', async () => {
    await setValue('Recent_Conversation_Days__c', '<value xsi:type="xsd:double">0</value>');
    expect(await loadError()).toMatch(/Recent_Conversation_Days__c has 0: /);
  });

  it('refuse a best case cut-off at or above commit, which would leave no deal Commit', async () => {
    await setValue('Best_Case_Probability__c', '<value xsi:type="xsd:double">0.8</value>');
    expect(await loadError()).toMatch(
      /Best_Case_Probability__c has 0\.8: must be below the commit probability \(0\.7\)/,
    );
  });

  it('refuse confidence shares that would make a quarter High and Low at once', async () => {
    await setValue('Review_Low_Confidence_Share__c', '<value xsi:type="xsd:double">0.5</value>');
    expect(await loadError()).toMatch(
      /Review_Low_Confidence_Share__c has 0\.5: must be at most 1 minus the high-confidence share \(0\.6\)/,
    );
  });

  it('say which record is missing when the Default record is gone', async () => {
    await unlink(file());
    expect(await loadError()).toMatch(
      /^Scribe_Setting__mdt\.Default is missing: it holds the pipeline's thresholds \(Commit_Probability__c, /,
    );
  });

  it('hold for records read from an org as for the files', () => {
    const org = {
      type: 'Scribe_Setting',
      developerName: 'Default',
      file: 'Scribe_Setting__mdt.Default (org)',
      values: {
        Commit_Probability__c: 0.75,
        Best_Case_Probability__c: 0.5,
        Action_Due_Soon_Days__c: 1,
        Action_Due_This_Week_Days__c: 5,
        Action_Full_Silence_Days__c: 21,
        Recent_Conversation_Days__c: 60,
        Review_At_Risk_Score__c: 60,
        Review_Watch_Score__c: null,
        Review_High_Confidence_Share__c: 0.7,
        Review_Low_Confidence_Share__c: 0.25,
      },
    };
    expect(() => thresholdsFromRecords([org])).toThrow(
      'Scribe_Setting__mdt.Default (org): Review_Watch_Score__c is missing',
    );
    const tuned = thresholdsFromRecords([{ ...org, values: { ...org.values, Review_Watch_Score__c: 30 } }]);
    expect(tuned.forecastCutoffs).toEqual({ commit: 0.75, bestCase: 0.5 });
    expect(tuned.reviewBands).toEqual({ atRisk: 60, watch: 30 });
    expect(tuned.reviewConfidence).toEqual({ high: 0.7, low: 0.25 });
  });
});

describe('judgements of the other rule types fail closed too', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'scribe-rules-'));
    await cp(path.join(DEFAULT_PACKAGE_DIR, RECORDS), path.join(dir, RECORDS), { recursive: true });
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  async function blank(name: string, field: string): Promise<string> {
    const file = path.join(dir, RECORDS, name);
    const xml = await readFile(file, 'utf8');
    const changed = xml.replace(
      new RegExp(`(<field>${field}</field>\\s*)<value[^>]*?>[^<]*</value>`),
      '$1<value xsi:nil="true"/>',
    );
    expect(changed).not.toBe(xml);
    await writeFile(file, changed);
    return file;
  }

  it('a field policy without its minimum confidence is refused, not read as 0.5', async () => {
    const file = await blank('Field_Policy.Opportunity_Budget.md-meta.xml', 'Minimum_Confidence__c');
    await expect(loadPipelineRules(dir)).rejects.toThrow(`${file}: Minimum_Confidence__c is missing`);
  });

  it('a risk rule without its weight is refused, not read as 0', async () => {
    const file = await blank('Risk_Rule.Stale.md-meta.xml', 'Weight__c');
    await expect(loadPipelineRules(dir)).rejects.toThrow(`${file}: Weight__c is missing`);
  });
});
