import RiskPanel from 'c/riskPanel';
import getOpportunityRisk from '@salesforce/apex/OpportunityRiskController.getOpportunityRisk';
import { itShowsPanelStates, mount } from 'lwc-test-helpers';

const risk = require('./data/getOpportunityRisk.json');

describe('c-risk-panel', () => {
  const onDeal = { props: { recordId: risk.opportunityId }, wire: getOpportunityRisk };
  const render = async (data) => (await mount(RiskPanel, { ...onDeal, data })).element;

  const text = (element, selector) => element.shadowRoot.querySelector(selector).textContent.trim();

  itShowsPanelStates(RiskPanel, {
    ...onDeal,
    loading: 'Loading the deal risk',
    error: 'Could not load the deal risk',
    empty: {
      data: { ...risk, score: null, riskLevel: null, factors: [], flags: [] },
      says: 'Not scored yet. Pipeline Scribe scores a deal after its next change or conversation, and every night.',
    },
  });

  it('shows the score, how it moved since last week and what drives it', async () => {
    const element = await render(risk);

    expect(getOpportunityRisk.getLastConfig()).toEqual({ opportunityId: risk.opportunityId });
    expect(text(element, '.score')).toBe('Risk 72 of 100, high');
    expect(text(element, '.trend')).toBe('Up 12 since last week');
    expect(element.shadowRoot.querySelector('lightning-progress-ring').variant).toBe('expired');
    expect([...element.shadowRoot.querySelectorAll('.factors li')].map((li) => li.textContent)).toEqual(
      risk.factors,
    );
    await expect(element).toBeAccessible();
  });

  it('lists the hygiene flags with what to do about each', async () => {
    const element = await render(risk);

    const flags = [...element.shadowRoot.querySelectorAll('.flag')].map((flag) => [
      flag.querySelector('lightning-badge').label,
      flag.querySelector('.action').textContent,
    ]);
    expect(flags).toEqual([
      ['Stale', 'Re-engage'],
      ['Stuck in stage', 'Escalate'],
    ]);
  });

  it('shows the model close probability, the suggested category and the decision phase', async () => {
    const element = await render(risk);

    expect(element.shadowRoot.querySelector('.probability lightning-formatted-number').value).toBe(0.38);
    expect(text(element, '.category')).toBe('Best Case');
    expect(text(element, '.phase')).toBe('Supplier Selection');
  });

  it('warns when the deal is likely to miss its close date, by the flag the server set from the settings', async () => {
    const element = await render(risk);

    expect(element.shadowRoot.querySelector('.slip lightning-formatted-number').value).toBe(0.64);
    expect(element.shadowRoot.querySelector('.slip-warning').label).toBe('Likely to slip');

    document.body.removeChild(element);
    const onTrack = await render({ ...risk, slipProbability: 22, slipWarning: false });
    expect(onTrack.shadowRoot.querySelector('.slip lightning-formatted-number').value).toBe(0.22);
    expect(onTrack.shadowRoot.querySelector('.slip-warning')).toBeNull();
  });

  it('leaves the slip line out when the deal has no slip probability', async () => {
    const element = await render({ ...risk, slipProbability: null, slipWarning: false });

    expect(element.shadowRoot.querySelector('.slip')).toBeNull();
  });

  it('explains the win probability with its drivers and their effect in points', async () => {
    const element = await render(risk);

    expect([...element.shadowRoot.querySelectorAll('.drivers li')].map((li) => li.textContent)).toEqual([
      'no activity for 19 days (deals that won: 3): −12 points',
      'in Proposal/Price Quote 2.5× longer than deals that won (21 vs 8.5 days): −5.3 points',
      'Dana Rep won 31 of 48 closed deals (65%, against 52% overall): +3.1 points',
    ]);
    await expect(element).toBeAccessible();

    document.body.removeChild(element);
    const unexplained = await render({ ...risk, forecastDrivers: [] });
    expect(unexplained.shadowRoot.querySelector('.drivers')).toBeNull();
  });

  it('reads a falling score and a first score in words', async () => {
    const falling = await render({ ...risk, score: 30, riskLevel: 'Low', previousScore: 45, trend: -15 });
    expect(text(falling, '.score')).toBe('Risk 30 of 100, low');
    expect(text(falling, '.trend')).toBe('Down 15 since last week');

    document.body.removeChild(falling);
    const first = await render({ ...risk, score: 50, riskLevel: 'Medium', previousScore: null, trend: null });
    expect(text(first, '.trend')).toBe('First week scored');
  });

  it("reads the level the server judged by the org's risk bands, not a band of its own", async () => {
    // An org whose High Risk Score is 80: Apex sends Medium for 72.
    const element = await render({ ...risk, score: 72, riskLevel: 'Medium' });

    expect(text(element, '.score')).toBe('Risk 72 of 100, medium');
    expect(element.shadowRoot.querySelector('lightning-progress-ring').variant).toBe('warning');
  });
});
