import TeamRiskPanel from 'c/teamRiskPanel';
import getTeamRisk from '@salesforce/apex/OpportunityRiskController.getTeamRisk';
import { itShowsPanelStates, mount } from 'lwc-test-helpers';

const team = require('./data/getTeamRisk.json');

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

  it("shows the team's open deals riskiest first, as the server ranked them", async () => {
    const element = await render(team);

    const table = element.shadowRoot.querySelector('lightning-datatable');
    expect(table.keyField).toBe('id');
    expect(table.data.map((row) => [row.name, row.score])).toEqual([
      ['Fabrikam - Pipeline Scribe rollout', 81],
      ['Contoso pilot', 74],
      ['Tailspin renewal', 35],
    ]);
    expect(table.columns.map((column) => column.label)).toEqual([
      'Opportunity',
      'Owner',
      'Stage',
      'Amount',
      'Close date',
      'Risk',
      'Trend',
      'Win chance',
      'Why',
      'Close out?',
    ]);
    await expect(element).toBeAccessible();
  });

  it("explains each deal: top factors, trend, the model's win chance and whether to close it out", async () => {
    const element = await render(team);

    const [fabrikam, contoso, tailspin] = element.shadowRoot.querySelector('lightning-datatable').data;
    expect(fabrikam.topFactors).toBe(
      'Stale 19 days; 3x the usual time in Proposal/Price Quote; Competitor mentioned on the last call',
    );
    expect(fabrikam.trendText).toBe('Up 11 since last week');
    expect(fabrikam.url).toBe('/0065g00000FABRKAAA');
    expect(contoso.closeOut).toBe('Yes');
    expect(contoso.trendText).toBe('No change since last week');
    expect(tailspin.trendText).toBe('Down 5 since last week');
    expect([fabrikam, contoso, tailspin].map((deal) => deal.winChance)).toEqual([0.38, 0.06, 0.71]);
    expect(element.shadowRoot.querySelector('.summary').textContent).toBe(
      '3 open deals · 2 at high risk · 1 to close out',
    );
  });
});
