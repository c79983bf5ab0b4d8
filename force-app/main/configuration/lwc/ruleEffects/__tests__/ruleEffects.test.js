import RuleEffects from 'c/ruleEffects';
import getRuleEffects from '@salesforce/apex/RuleEffectsController.getRuleEffects';
import { click, itShowsPanelStates, mount, navigations } from 'lwc-test-helpers';

const report = require('./data/getRuleEffects.json');

jest.mock('lightning/navigation', () => require('lwc-test-helpers').navigationModule());

describe('c-rule-effects', () => {
  afterEach(() => {
    jest.clearAllMocks();
  });

  const render = async (data) => (await mount(RuleEffects, { wire: getRuleEffects, data })).element;
  const text = (node) => node.textContent.replace(/\s+/g, ' ').trim();
  const section = (element, kind) => element.shadowRoot.querySelector(`section[data-kind="${kind}"]`);
  const rowOf = (element, kind, label) =>
    [...section(element, kind).querySelectorAll('tbody tr')].find((row) =>
      text(row.querySelector('.rule-label')).startsWith(label),
    );
  const cells = (row) => [...row.querySelectorAll('td')].map(text);

  itShowsPanelStates(RuleEffects, {
    wire: getRuleEffects,
    loading: 'Counting what each rule did',
    error: 'Could not count what the rules did',
    empty: {
      data: { ...report, rules: [] },
      says: "No rules found in custom metadata. Deploy the package's default rules, or add Field Policies, Stage Definitions, Competitors, Risk Rules and Buying Phase Rules in Setup, Custom Metadata Types.",
    },
  });

  it('lists every kind of rule in its own table, in the order sales ops tune them', async () => {
    const element = await render(report);

    const titles = [...element.shadowRoot.querySelectorAll('section h3')].map(text);
    expect(titles).toEqual([
      'Field policies',
      'Stage definitions',
      'Competitors',
      'Risk and hygiene rules',
      'Buying phase rules',
    ]);
    expect(text(element.shadowRoot.querySelector('.window'))).toMatch(
      /^Over the last 30 days, since\s*, counting the suggestions and actions you can see\.$/,
    );
    expect(element.shadowRoot.querySelector('.since').value).toBe('2026-11-07T06:00:00.000Z');
    await expect(element).toBeAccessible();
  });

  it('shows per field the suggestions made, accepted, edited, rejected and how often reps took them', async () => {
    const element = await render(report);

    const headers = [...section(element, 'fieldPolicy').querySelectorAll('thead th')].map(text);
    expect(headers).toEqual([
      'Rule',
      'Field',
      'Suggested',
      'Accepted',
      'Edited',
      'Rejected',
      'Pending',
      'Auto-applied',
      'Stale or failed',
      'Accepted of decided',
      'Note',
    ]);
    expect(cells(rowOf(element, 'fieldPolicy', 'Opportunity Budget'))).toEqual([
      'Opportunity.Budget__c',
      '24',
      '14',
      '4',
      '2',
      '3',
      '0',
      '1',
      '90%',
      '',
    ]);
    expect(cells(rowOf(element, 'stageDefinition', 'Needs Analysis')).slice(0, 2)).toEqual([
      'Needs Analysis',
      '11',
    ]);
  });

  it('says when a rule had no measurable effect, and marks an inactive one', async () => {
    const element = await render(report);

    const perception = rowOf(element, 'stageDefinition', 'Perception Analysis');
    expect(text(perception.querySelector('.note'))).toBe(
      'No suggestions in the last 30 days: no measurable effect yet.',
    );
    expect(perception.classList).toContain('no-effect');
    expect(text(perception.querySelector('.acceptance'))).toBe('—');
    const useCase = rowOf(element, 'fieldPolicy', 'Opportunity Use Case');
    expect(useCase.querySelector('.inactive').label).toBe('Inactive');
    expect(rowOf(element, 'fieldPolicy', 'Opportunity Budget').querySelector('.inactive')).toBeNull();
  });

  it('counts risk rules by the actions they recommend: done, dismissed, open, snoozed', async () => {
    const element = await render(report);

    const headers = [...section(element, 'riskRule').querySelectorAll('thead th')].map(text);
    expect(headers).toEqual([
      'Rule',
      'Signal → action',
      'Actions',
      'Done',
      'Dismissed',
      'Open',
      'Snoozed',
      'Done of closed',
      'Note',
    ]);
    expect(cells(rowOf(element, 'riskRule', 'Stale')).slice(0, 7)).toEqual([
      'Stale → Re-engage',
      '40',
      '22',
      '6',
      '9',
      '3',
      '79%',
    ]);
    expect(text(rowOf(element, 'riskRule', 'Pricing Objection').querySelector('.note'))).toContain(
      'it recommends no action',
    );
  });

  it('shows buying phase rules with why they have nothing to count, and no count columns', async () => {
    const element = await render(report);

    const headers = [...section(element, 'buyingPhaseRule').querySelectorAll('thead th')].map(text);
    expect(headers).toEqual(['Rule', 'Decision phase', 'Note']);
    expect(text(rowOf(element, 'buyingPhaseRule', 'Validation').querySelector('.note'))).toContain(
      'Customer Decision Phase',
    );
  });

  it('says when the stage counts stopped at their bound', async () => {
    const element = await render({ ...report, stageCountsCapped: true });

    expect(text(element.shadowRoot.querySelector('.cap-note'))).toBe(
      'Stage and competitor counts are from the latest 10,000 such suggestions.',
    );
  });

  it('opens the custom metadata types in Setup to edit the rules', async () => {
    const element = await render(report);

    await click(element, '.open-rules');

    expect(navigations).toHaveBeenCalledWith({
      type: 'standard__webPage',
      attributes: { url: '/lightning/setup/CustomMetadata/home' },
    });
  });
});
