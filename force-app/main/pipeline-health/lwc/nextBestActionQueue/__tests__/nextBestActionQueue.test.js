import NextBestActionQueue from 'c/nextBestActionQueue';
import getActionQueue from '@salesforce/apex/NextBestActionController.getActionQueue';
import updateActionStatus from '@salesforce/apex/NextBestActionController.updateActionStatus';
import getMyOpenOpportunities from '@salesforce/apex/ConversationController.getMyOpenOpportunities';
import { click, find, flush, itShowsPanelStates, mount } from 'lwc-test-helpers';

const queue = require('./data/getActionQueue.json');

describe('c-next-best-action-queue', () => {
  const render = (data = queue) => mount(NextBestActionQueue, { wire: getActionQueue, data });

  const rows = (element) => [...element.shadowRoot.querySelectorAll('li.action')];

  itShowsPanelStates(NextBestActionQueue, {
    wire: getActionQueue,
    loading: 'Loading your next best actions',
    error: 'Could not load your next best actions',
    empty: { data: [], says: 'Nothing urgent today. New actions appear as your deals change.' },
  });

  it('ranks the actions and says why each one matters now', async () => {
    const { element } = await render();

    const shown = rows(element).map((row) => ({
      what: row.querySelector('.what').textContent,
      why: row.querySelector('.why').textContent,
      deal: row.querySelector('a').textContent,
    }));
    expect(shown).toEqual([
      {
        what: '1. Call Dmitri at Fabrikam',
        why: 'No reply in 12 days, close date in 9 days',
        deal: 'Fabrikam - Pipeline Scribe rollout',
      },
      {
        what: '2. Add a second contact at Tailspin',
        why: 'Single-threaded, and the champion left',
        deal: 'Tailspin renewal',
      },
      { what: '3. Update the close date on Wingtip', why: 'It passed on Monday', deal: 'Wingtip expansion' },
    ]);
    expect(rows(element)[0].querySelector('a').getAttribute('href')).toBe('/0065g00000FABRKAAA');
    await expect(element).toBeAccessible();
  });

  it('says when an action is due and offers its three choices as one group', async () => {
    const { element } = await render();

    const [first] = rows(element);
    const due = first.querySelector('c-date-stamp.due');
    expect([due.value, due.due]).toEqual(['2026-03-03', true]);
    const choices = first.querySelector('c-button-row');
    expect([choices.grouped, choices.buttonTitle]).toEqual([true, 'Call Dmitri at Fabrikam']);
    expect(find(first, 'lightning-button-group')).not.toBeNull();
  });

  it('snoozes an action for the default days in one click', async () => {
    updateActionStatus.mockResolvedValue({
      Id: 'a045g00000NBA001AAA',
      Status__c: 'Snoozed',
      Snoozed_Until__c: '2026-03-06',
    });
    const { element, toasts } = await render();

    await click(rows(element)[0], 'lightning-button.snooze');

    expect(updateActionStatus).toHaveBeenCalledWith({
      actionId: 'a045g00000NBA001AAA',
      status: 'Snoozed',
      snoozeUntil: null,
    });
    expect(toasts).toEqual([{ title: 'Snoozed until Mar 6, 2026', variant: 'success' }]);
  });

  it('marks an action done or dismisses it', async () => {
    updateActionStatus.mockResolvedValue({ Id: 'a045g00000NBA002AAA', Status__c: 'Done' });
    const { element, toasts } = await render();

    await click(rows(element)[1], 'lightning-button.done');
    await click(rows(element)[2], 'lightning-button.dismiss');

    expect(updateActionStatus.mock.calls.map(([args]) => [args.actionId, args.status])).toEqual([
      ['a045g00000NBA002AAA', 'Done'],
      ['a045g00000NBA003AAA', 'Dismissed'],
    ]);
    expect(toasts.map((toast) => toast.title)).toEqual(['Marked done', 'Marked dismissed']);
  });

  it('says why an action could not be updated', async () => {
    updateActionStatus.mockRejectedValue({
      body: { message: 'This action no longer exists or you cannot see it. Refresh the queue.' },
    });
    const { element, toasts } = await render();

    await click(rows(element)[0], 'lightning-button.done');

    expect(toasts[0]).toEqual(
      expect.objectContaining({ variant: 'error', message: expect.stringContaining('Refresh the queue') }),
    );
  });

  it('opens the capture form on a meeting that needs notes, with the meeting filled in', async () => {
    getMyOpenOpportunities.mockResolvedValue([
      { Id: '0065g00000TAILSAAA', Name: 'Tailspin renewal', Account: { Name: 'Tailspin Toys' } },
    ]);
    const meeting = {
      Id: 'a045g00000NBA009AAA',
      Action__c: 'Add notes for Pricing review (2026-12-07 14:00 UTC)',
      Action_Type__c: 'Add Meeting Notes',
      Why__c: 'The meeting ended more than 4 hours ago and no recording, transcript or notes arrived for it.',
      Due_Date__c: '2026-12-07',
      Status__c: 'Open',
      Opportunity__c: '0065g00000TAILSAAA',
      Opportunity__r: { Name: 'Tailspin renewal', Account: { Name: 'Tailspin Toys' } },
    };
    const { element } = await render([meeting, ...queue]);

    const buttons = rows(element).map((row) => row.querySelector('lightning-button.add-notes'));
    expect(buttons.map((button) => button?.label ?? null)).toEqual(['Add notes', null, null, null]);
    expect(element.shadowRoot.querySelector('c-quick-capture')).toBeNull();

    await click(rows(element)[0], 'lightning-button.add-notes');

    const capture = rows(element)[0].querySelector('c-quick-capture');
    expect(capture.prefill).toEqual({
      opportunityId: '0065g00000TAILSAAA',
      title: 'Pricing review (2026-12-07 14:00 UTC)',
      source: 'Meeting',
    });
    capture.dispatchEvent(new CustomEvent('saved'));
    await flush();
    expect(element.shadowRoot.querySelector('c-quick-capture')).toBeNull();
    await expect(element).toBeAccessible();
  });
});
