import TeamRiskPanel from 'c/teamRiskPanel';
import getTeamRisk from '@salesforce/apex/OpportunityRiskController.getTeamRisk';
import { itShowsPanelStates, mount, navigations } from 'lwc-test-helpers';

const team = require('./data/getTeamRisk.json');

jest.mock('lightning/navigation', () => require('lwc-test-helpers').navigationModule());

describe('c-team-risk-panel', () => {
  const render = async (data) => (await mount(TeamRiskPanel, { wire: getTeamRisk, data })).element;

  itShowsPanelStates(TeamRiskPanel, {
    wire: getTeamRisk,
    loading: "Loading your team's deals",
    error: "Could not load your team's deals",
    empty: {
      data: [],
      says: 'No open deals on your team. This panel lists the deals of the people who report to you.',
    },
  });

  const rows = (element) =>
    [...element.shadowRoot.querySelectorAll('tbody tr')].map((row) => ({
      name: row.querySelector('.name').textContent,
      stage: row.querySelector('.stage').textContent.trim(),
      owner: row.querySelector('.owner').textContent,
      amount: row.querySelector('.amount lightning-formatted-number'),
      score: row.querySelector('.score').textContent,
      trend: row.querySelector('.trend'),
      winChance: row.querySelector('.win-chance lightning-formatted-number').value,
      factors: row.querySelector('.factors'),
      closeOut: row.querySelector('.close-out')?.textContent.trim(),
      closeDate: row.querySelector('.close-date lightning-formatted-date-time').value,
      link: row.querySelector('a.name'),
    }));

  it("shows the team's open deals riskiest first, as the server ranked them, the manager's columns leading", async () => {
    const element = await render(team);

    expect(rows(element).map((row) => [row.name, row.score])).toEqual([
      ['Fabrikam - Pipeline Scribe rollout', '81'],
      ['Contoso pilot', '74'],
      ['Tailspin renewal', '35'],
    ]);
    expect([...element.shadowRoot.querySelectorAll('thead th')].map((th) => th.textContent.trim())).toEqual([
      'Opportunity',
      'Owner',
      'Amount',
      'Risk',
      'Win chance',
      'Why',
      'Close date',
    ]);
    await expect(element).toBeAccessible();
  });

  it('formats the amount as currency and cuts long text with the full text as its title', async () => {
    const element = await render(team);

    const [fabrikam] = rows(element);
    expect(fabrikam.amount.value).toBe(64000);
    expect(fabrikam.amount.formatStyle).toBe('currency');
    expect(fabrikam.stage).toBe('Proposal/Price Quote');
    expect(fabrikam.closeDate).toBe('2026-03-31');
    const truncated = [...element.shadowRoot.querySelectorAll('tbody .slds-truncate[title]')];
    expect(truncated.length).toBeGreaterThan(0);
    for (const cell of truncated) {
      expect(cell.getAttribute('title')).not.toBe('');
    }
    expect(fabrikam.factors.title).toBe(fabrikam.factors.textContent);
    expect(element.shadowRoot.querySelector('.stage').title).toBe('Proposal/Price Quote');
  });

  it("explains each deal: top factors, trend, the model's win chance and whether to close it out", async () => {
    const element = await render(team);

    const [fabrikam, contoso, tailspin] = rows(element);
    expect(fabrikam.factors.textContent).toBe(
      'Stale 19 days; 3x the usual time in Proposal/Price Quote; Competitor mentioned on the last call',
    );
    expect(
      [fabrikam, contoso, tailspin].map((deal) => [deal.trend.textContent.trim(), deal.trend.title]),
    ).toEqual([
      ['Up 11', 'Up 11 since last week'],
      ['Same', 'No change since last week'],
      ['Down 5', 'Down 5 since last week'],
    ]);
    expect([fabrikam, contoso, tailspin].map((deal) => deal.closeOut)).toEqual([
      undefined,
      'Consider closing out',
      undefined,
    ]);
    expect([fabrikam, contoso, tailspin].map((deal) => deal.winChance)).toEqual([0.38, 0.06, 0.71]);
    expect(element.shadowRoot.querySelector('.summary').textContent).toBe(
      '3 open deals · 2 at high risk · 1 to close out',
    );
  });

  it('says in words when a deal has no score yet, and what each score means on hover', async () => {
    const unscored = { ...team[2], score: null, riskLevel: null, previousScore: null, trend: null };
    const element = await render([team[0], unscored]);

    const risks = [...element.shadowRoot.querySelectorAll('tbody td.risk')];
    expect(risks.map((cell) => cell.querySelector('.score').textContent)).toEqual(['81', '–']);
    expect(risks.map((cell) => cell.querySelector('.slds-truncate').title)).toEqual([
      'Risk 81, high',
      'Not scored yet',
    ]);
    expect(risks[1].querySelector('.trend').textContent.trim()).toBe('New');
  });

  it("opens a deal's record page through navigation", async () => {
    const element = await render(team);

    const [fabrikam] = rows(element);
    expect(fabrikam.link.getAttribute('href')).toBe('/0065g00000FABRKAAA');
    fabrikam.link.click();
    expect(navigations).toHaveBeenCalledWith({
      type: 'standard__recordPage',
      attributes: { recordId: '0065g00000FABRKAAA', actionName: 'view' },
    });
  });
});
