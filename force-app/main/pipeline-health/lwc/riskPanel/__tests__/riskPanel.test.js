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
