import ScribeSetup from 'c/scribeSetup';
import getInstallationChecks from '@salesforce/apex/ScribeSetupController.getInstallationChecks';
import { refreshApex } from '@salesforce/apex';
import { click, itShowsPanelStates, mount } from 'lwc-test-helpers';

const report = require('./data/getInstallationChecks.json');

jest.mock('@salesforce/apex', () => ({ refreshApex: jest.fn(() => Promise.resolve()) }), { virtual: true });

describe('c-scribe-setup', () => {
  const render = async (data) => (await mount(ScribeSetup, { wire: getInstallationChecks, data })).element;
  const text = (node) => node.textContent.replace(/\s+/g, ' ').trim();
  const checkItem = (element, key) => element.shadowRoot.querySelector(`li.check[data-key="${key}"]`);

  itShowsPanelStates(ScribeSetup, {
    wire: getInstallationChecks,
    loading: 'Checking the installation',
    error: 'Could not check the installation',
    empty: {
      data: { ...report, checks: [] },
      says: 'No check answered. Reload the page; if it stays empty, confirm the Pipeline_Scribe_Admin permission set is assigned to you.',
    },
  });

  it('answers first: how many checks passed, and that each failing one says how to fix it', async () => {
    const element = await render(report);

    expect(text(element.shadowRoot.querySelector('.summary'))).toBe(
      '2 of 5 checks passed; 1 needs attention; 2 failed. Each one below says how to fix it.',
    );
    expect(element.shadowRoot.querySelector('.summary').classList).toContain('slds-text-color_error');
    await expect(element).toBeAccessible();
  });

  it('shows each check with its verdict, what was found and how to fix it', async () => {
    const element = await render(report);

    const titles = [...element.shadowRoot.querySelectorAll('li.check .title')].map(text);
    expect(titles).toEqual([
      'Integration user',
      'Rules in custom metadata',
      'Connection to the Pipeline Scribe service',
      'Last pipeline scan',
      'API usage today',
    ]);
    const service = checkItem(element, 'service');
    expect(service.querySelector('lightning-icon').iconName).toBe('utility:error');
    expect(service.querySelector('lightning-icon').alternativeText).toBe('Failed');
    expect(text(service.querySelector('.finding'))).toContain('Unable to tunnel through proxy');
    expect(text(service.querySelector('.fix'))).toMatch(
      /^How to fix: In Setup, Named Credentials, edit Pipeline Scribe Service/,
    );
    const scan = checkItem(element, 'lastScan');
    expect(scan.querySelector('lightning-icon').alternativeText).toBe('Needs attention');
    expect([...scan.querySelectorAll('.detail')].map(text)).toEqual([
      'Opportunity 006000000000001AAA: FIELD_CUSTOM_VALIDATION_EXCEPTION: Wingtip is under legal hold: no edits',
    ]);
  });

  it('shows no fix for a check that passed', async () => {
    const element = await render(report);

    const integration = checkItem(element, 'integrationUser');
    expect(integration.querySelector('lightning-icon').iconName).toBe('utility:success');
    expect(integration.querySelector('.fix')).toBeNull();
  });

  it('says all is well when every check passed', async () => {
    const passing = report.checks.map((check) => ({ ...check, status: 'passed', fix: null }));
    const element = await render({ ...report, checks: passing });

    expect(text(element.shadowRoot.querySelector('.summary'))).toBe(
      'All 5 checks passed: Pipeline Scribe is installed and working.',
    );
    expect(element.shadowRoot.querySelectorAll('.fix')).toHaveLength(0);
  });

  it('shows the last scan’s figures and the API usage against the daily limit', async () => {
    const element = await render(report);

    const figures = Object.fromEntries(
      [...element.shadowRoot.querySelectorAll('.scan-figure')].map((dd) => [dd.dataset.label, text(dd)]),
    );
    expect(figures).toEqual({
      Result: 'Completed With Failures',
      'Deals read': '412',
      'Deals scored': '230',
      'Records written': '96',
      'Refused or not sent': '1',
      'API calls': '14',
    });
    expect(element.shadowRoot.querySelector('.scan-started').value).toBe('2026-12-07T05:00:00.000Z');
    expect(text(element.shadowRoot.querySelector('.api-usage'))).toBe(
      '1,200 of 15,000 requests in the last 24 hours (8%)',
    );
    expect(element.shadowRoot.querySelector('.api-usage-bar').value).toBe(8);
  });

  it('says so when no scan was recorded and Salesforce reported no limit', async () => {
    const element = await render({ ...report, lastScan: null, apiUsage: null });

    expect(text(element.shadowRoot.querySelector('.no-scan'))).toBe('No scan recorded yet.');
    expect(text(element.shadowRoot.querySelector('.no-api-usage'))).toBe(
      'Salesforce did not report the daily limit.',
    );
  });

  it('checks again on request', async () => {
    const element = await render(report);

    await click(element, '.check-again');

    expect(refreshApex).toHaveBeenCalledTimes(1);
  });
});
