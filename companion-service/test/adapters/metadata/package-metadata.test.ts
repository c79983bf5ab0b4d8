import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_PACKAGE_DIR, loadPackageRules } from '../../../src/adapters/metadata/package-metadata.js';

const RECORDS = 'main/configuration/customMetadata';

describe('loadPackageRules from the package in force-app', () => {
  it('reads the ten standard stages in order, with probabilities and closed flags', async () => {
    const { stageRules } = await loadPackageRules();
    expect(stageRules.stages.map((s) => [s.stageName, s.defaultProbability, s.isClosed, s.isWon])).toEqual([
      ['Prospecting', 10, false, false],
      ['Qualification', 10, false, false],
      ['Needs Analysis', 20, false, false],
      ['Value Proposition', 50, false, false],
      ['Id. Decision Makers', 60, false, false],
      ['Perception Analysis', 70, false, false],
      ['Proposal/Price Quote', 75, false, false],
      ['Negotiation/Review', 90, false, false],
      ['Closed Won', 100, true, true],
      ['Closed Lost', 0, true, false],
    ]);
    const qualification = stageRules.stages[1]!;
    expect(qualification.backwardSignals.map((s) => s.label)).toContain('Budget frozen');
    expect(qualification.entrySignals[0]?.patterns).toEqual([{ kind: 'insight', insight: 'budget' }]);
  });

  it('reads the competitors with their aliases', async () => {
    const { competitors } = await loadPackageRules();
    expect(competitors.entries).toEqual(
      expect.arrayContaining([
        { name: 'Clari', aliases: ['Clari Copilot', 'Wingman'], matchCase: false },
        { name: 'Gong', aliases: ['Gong.io'], matchCase: false },
        // An everyday word as a name is matched only as written (Match_Case__c).
        { name: 'Chorus', aliases: ['Chorus.ai', 'ZoomInfo Chorus'], matchCase: true },
        { name: 'Outreach', aliases: ['Outreach.io', 'Kaia'], matchCase: true },
        { name: 'Salesloft', aliases: ['SalesLoft', 'Drift'], matchCase: false },
      ]),
    );
    expect(competitors.entries.map((c) => c.name).sort()).toEqual([
      'Chorus',
      'Clari',
      'Gong',
      'Outreach',
      'People.ai',
      'Salesloft',
    ]);
  });

  it('reads the field policies and the default settings', async () => {
    const rules = await loadPackageRules();
    expect(
      rules.fieldMappings.map((m) => [
        `${m.objectName}.${m.fieldName}`,
        m.insight,
        m.mode,
        m.overwritePolicy,
        m.minimumConfidence,
      ]),
    ).toEqual(
      expect.arrayContaining([
        ['Opportunity.StageName', 'stage', 'Suggest', 'Always', 0.6],
        ['Opportunity.Budget__c', 'budget', 'Suggest', 'If empty', 0.6],
        ['Opportunity.Budget_Range__c', 'budgetRange', 'Suggest', 'If empty', 0.6],
        ['Opportunity.CloseDate', 'timeline', 'Suggest', 'Always', 0.6],
        ['Opportunity.NextStep', 'nextStep', 'Suggest', 'If empty', 0.5],
        ['Opportunity.TotalOpportunityQuantity', 'seatCount', 'Suggest', 'If empty', 0.6],
        ['Opportunity.Competitors__c', 'competitors', 'Auto-apply', 'Merge', 0.6],
        // A new title is proposed over the old one; a rep's email and numbers are only filled when empty.
        ['Contact.Title', 'contactTitle', 'Suggest', 'Always', 0.7],
        ['Contact.Email', 'contactEmail', 'Suggest', 'If empty', 0.8],
        ['Contact.Phone', 'contactPhone', 'Suggest', 'If empty', 0.8],
        ['Contact.MobilePhone', 'contactMobile', 'Suggest', 'If empty', 0.8],
        ['Opportunity.Use_Case__c', 'useCase', 'Suggest', 'If empty', 0.6],
        ['Opportunity.Decision_Timeline__c', 'decisionTimeline', 'Suggest', 'Always', 0.6],
        // Company facts: a rep's employee count and revenue are never replaced; the stack only grows.
        ['Account.NumberOfEmployees', 'employeeCount', 'Suggest', 'Never', 0.6],
        ['Account.AnnualRevenue', 'annualRevenue', 'Suggest', 'Never', 0.6],
        ['Account.Tech_Stack__c', 'techStack', 'Suggest', 'Merge', 0.6],
      ]),
    );
    expect(rules.fieldMappings).toHaveLength(16);
    expect(rules.defaultCurrency).toBe('USD');
    expect(rules.sellerNames).toEqual([]);
    expect(rules.sellerEmailDomains).toEqual([]);
    // The people come from the org's users; the vendors used alongside us from the setting.
    expect(rules.sellerPeople).toEqual([]);
    expect(rules.nonCompetitors).toEqual(expect.arrayContaining(['Salesforce', 'Okta']));
  });
});

describe('loadPackageRules on a broken package', () => {
  let dir: string;
  const recordFile = (name: string) => path.join(dir, RECORDS, name);

  async function edit(name: string, change: (xml: string) => string): Promise<void> {
    const xml = await readFile(recordFile(name), 'utf8');
    const changed = change(xml);
    expect(changed).not.toBe(xml);
    await writeFile(recordFile(name), changed);
  }

  async function loadError(): Promise<string> {
    try {
      await loadPackageRules(dir);
    } catch (error) {
      return (error as Error).message;
    }
    throw new Error('expected the package to be rejected');
  }

  beforeEach(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'scribe-package-'));
    await cp(path.join(DEFAULT_PACKAGE_DIR, RECORDS), path.join(dir, RECORDS), { recursive: true });
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('loads the copy as it is', async () => {
    expect((await loadPackageRules(dir)).stageRules.stages).toHaveLength(10);
  });

  it('names the file and the field of a stage without a sort order', async () => {
    await edit('Stage_Definition.Qualification.md-meta.xml', (xml) =>
      xml.replace(/<value xsi:type="xsd:double">2<\/value>/, '<value xsi:nil="true"/>'),
    );
    const message = await loadError();
    expect(message).toContain(recordFile('Stage_Definition.Qualification.md-meta.xml'));
    expect(message).toMatch(/Sort_Order__c is missing/);
  });

  it('does not read an empty number as 0', async () => {
    await edit('Stage_Definition.Qualification.md-meta.xml', (xml) =>
      xml.replace(/<value xsi:type="xsd:double">2<\/value>/, '<value xsi:type="xsd:double"></value>'),
    );
    expect(await loadError()).toMatch(
      /Stage_Definition\.Qualification\.md-meta\.xml: Sort_Order__c is missing/,
    );
  });

  it('names the file, the field and the value of an out-of-range probability', async () => {
    await edit('Stage_Definition.Prospecting.md-meta.xml', (xml) =>
      xml.replace(/<value xsi:type="xsd:double">10<\/value>/, '<value xsi:type="xsd:double">150</value>'),
    );
    expect(await loadError()).toMatch(
      /Stage_Definition\.Prospecting\.md-meta\.xml: Default_Probability__c has 150: /,
    );
  });

  it('names the file and the field of an unknown @insight in a signal', async () => {
    await edit('Stage_Definition.Qualification.md-meta.xml', (xml) =>
      xml.replace('@identified_pain', '@pain'),
    );
    const message = await loadError();
    expect(message).toContain(recordFile('Stage_Definition.Qualification.md-meta.xml'));
    expect(message).toMatch(
      /Stage_Definition__mdt\.Qualification\.Entry_Signals__c, line 2: unknown insight "@pain"/,
    );
  });

  it('names the file, the field and the value of an unknown field policy insight', async () => {
    await edit('Field_Policy.Opportunity_Budget.md-meta.xml', (xml) =>
      xml.replace(
        '<value xsi:type="xsd:string">budget</value>',
        '<value xsi:type="xsd:string">money</value>',
      ),
    );
    expect(await loadError()).toMatch(
      /Field_Policy\.Opportunity_Budget\.md-meta\.xml: Insight__c has "money": /,
    );
  });

  it('names the file and the line of XML that is not well formed', async () => {
    await edit('Competitor.Gong.md-meta.xml', (xml) => xml.replace('</label>', '</lable>'));
    expect(await loadError()).toMatch(/Competitor\.Gong\.md-meta\.xml: not well-formed XML at line 3: /);
  });

  it('names the folder it could not read and how to point at the right one', async () => {
    const missing = path.join(dir, 'nowhere');
    await expect(loadPackageRules(missing)).rejects.toThrow(
      new RegExp(`cannot read custom metadata from ${missing}: .*SCRIBE_PACKAGE_DIR`),
    );
  });
});
