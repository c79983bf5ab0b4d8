import HygieneList from 'c/hygieneList';
import getHygieneList from '@salesforce/apex/OpportunityRiskController.getHygieneList';
import { cardOf, itShowsPanelStates, mount } from 'lwc-test-helpers';

const deals = require('./data/getHygieneList.json');

describe('c-hygiene-list', () => {
  const render = async (data) => (await mount(HygieneList, { wire: getHygieneList, data })).element;

  itShowsPanelStates(HygieneList, {
    wire: getHygieneList,
    loading: 'Loading your pipeline hygiene',
    error: 'Could not load your pipeline hygiene list',
    empty: { data: [], says: 'Your open deals are in good shape: no hygiene flags.' },
  });

  it('lists the flagged deals with each flag, what to do, and the evidence', async () => {
    const element = await render(deals);

    expect(cardOf(element).title).toBe('Pipeline hygiene (2)');
    const [wingtip, contoso] = element.shadowRoot.querySelectorAll('li.deal');
    expect(wingtip.querySelector('a.name').textContent).toBe('Wingtip expansion');
    expect(wingtip.querySelector('.risk').textContent).toBe('Risk 65, medium');
    expect(
      [...wingtip.querySelectorAll('.flag')].map((flag) => [
        flag.querySelector('lightning-badge').label,
        flag.querySelector('.action').textContent,
      ]),
    ).toEqual([
      ['Close date passed', 'Update Close Date'],
      ['No next step', 'Add Next Step'],
    ]);
    expect(wingtip.querySelectorAll('.details li')).toHaveLength(2);
    expect(contoso.querySelector('.risk').textContent).toBe('Not scored');
    expect(contoso.querySelector('.action').textContent).toBe('Close Out');
    await expect(element).toBeAccessible();
  });
});
