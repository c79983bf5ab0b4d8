import SuggestionsPanel from 'c/suggestionsPanel';
import getSuggestions from '@salesforce/apex/SuggestionController.getSuggestions';
import decideSuggestions from '@salesforce/apex/SuggestionController.decideSuggestions';
import { notifyRecordUpdateAvailable } from 'lightning/uiRecordApi';
import LightningConfirm from 'lightning/confirm';
import { RefreshEventName, registerRefreshHandler } from 'lightning/refresh';
import { refreshApex } from '@salesforce/apex';
import { click, find, flush, itShowsPanelStates, mount } from 'lwc-test-helpers';

jest.mock('@salesforce/apex', () => ({ refreshApex: jest.fn(() => Promise.resolve()) }), { virtual: true });

const suggestions = require('./data/getSuggestions.json');
/** Accept all sends the pending ones, in the order shown; stale ones wait in their own section. */
const pendingIds = suggestions.filter((s) => s.status === 'Pending').map((s) => s.id);
const outcomes = require('./data/decideOutcomes.json');

const OPPORTUNITY_ID = '0065g00000FABRKAAA';

jest.mock('lightning/confirm', () => ({ __esModule: true, default: { open: jest.fn() } }));

/** The stage suggestion of the fixture, moving the deal back instead of forward. */
const backward = {
  ...suggestions[0],
  proposedValue: 'Prospecting',
  needsConfirmation: true,
  stageMove: 'back',
};
const closing = {
  ...suggestions[0],
  id: 'a025g00000SUG009AAA',
  proposedValue: 'Closed Lost',
  closedStage: true,
  needsConfirmation: true,
  stageMove: 'close',
};

describe('c-suggestions-panel', () => {
  const onDeal = { props: { recordId: OPPORTUNITY_ID }, wire: getSuggestions };
  const render = (data = suggestions) => mount(SuggestionsPanel, { ...onDeal, data });

  const items = (element) => [...element.shadowRoot.querySelectorAll('c-suggestion-item')];
  const itemFor = (element, id) => items(element).find((item) => item.suggestion.id === id);
  const button = (item, name) => find(item, `lightning-button.${name}`);
  /** The text a rep reads in a value the item shows through c-field-value. */
  const shown = (item, selector) => item.querySelector(selector).shadowRoot.textContent;

  itShowsPanelStates(SuggestionsPanel, {
    ...onDeal,
    loading: 'Loading suggestions',
    error: 'Could not load the suggestions',
    empty: {
      data: [],
      says: 'Nothing to review. Suggestions appear here a few seconds after a call, an email or captured notes.',
    },
  });

  it('groups what to decide: the stage move, field changes, tasks and people', async () => {
    const { element } = await render();

    expect(element.shadowRoot.querySelector('lightning-card').title).toBe('Suggestions (5)');
    const groups = [...element.shadowRoot.querySelectorAll('section.group')].map((section) => ({
      title: section.querySelector('.group-title').textContent,
      count: section.querySelectorAll('c-suggestion-item').length,
    }));
    expect(groups).toEqual([
      { title: 'Stage', count: 1 },
      { title: 'Field changes', count: 2 },
      { title: 'Next steps to add as tasks', count: 1 },
      { title: 'People to add', count: 1 },
    ]);
    await expect(element).toBeAccessible();
  });

  it('shows the proposed stage with its reasons and the quote it rests on', async () => {
    const { element } = await render();

    const stage = itemFor(element, 'a025g00000SUG001AAA').shadowRoot;
    expect(shown(stage, '.current')).toBe('Qualification');
    expect(shown(stage, '.proposed')).toBe('Needs Analysis');
    expect([...stage.querySelectorAll('.reasons li')].map((li) => li.textContent)).toEqual([
      'Budget discussed',
      'Pain identified',
    ]);
    expect(stage.querySelector('.quote').textContent).toContain('reps spend Fridays updating Salesforce');
    expect(stage.querySelector('.source').textContent).toBe('Discovery call with Fabrikam');
    expect(stage.querySelector('lightning-badge.confidence').label).toBe('80% sure');
  });

  it('warns before a value the rep typed is replaced', async () => {
    const { element } = await render();

    const nextStep = itemFor(element, 'a025g00000SUG003AAA').shadowRoot;
    expect(shown(nextStep, '.current')).toBe('Call Priya on Friday');
    expect(nextStep.querySelector('.notice').textContent).toContain(
      'Accept to replace it, or reject to keep it.',
    );
    const budget = itemFor(element, 'a025g00000SUG002AAA').shadowRoot;
    expect(shown(budget, '.current')).toBe('empty');
  });

  it('keeps stale suggestions apart and explains them', async () => {
    const { element } = await render();

    const attention = element.shadowRoot.querySelector('section.needs-attention');
    const stale = attention.querySelector('c-suggestion-item');
    expect(stale.suggestion.id).toBe('a025g00000SUG006AAA');
    expect(stale.shadowRoot.querySelector('.status-reason').textContent).toContain('it is now "2026-07-31"');
    expect(button(stale, 'accept').label).toBe('Replace anyway');
    expect(button(stale, 'reject').label).toBe('Keep current');
  });

  it('accepts one suggestion, then refreshes the record and the list', async () => {
    decideSuggestions.mockResolvedValue([outcomes[1]]);
    const { element, toasts } = await render();

    await click(itemFor(element, 'a025g00000SUG002AAA'), 'lightning-button.accept');

    expect(decideSuggestions).toHaveBeenCalledWith({
      decisions: [{ suggestionId: 'a025g00000SUG002AAA', action: 'accept' }],
    });
    expect(toasts).toEqual([{ title: '1 accepted', message: '', variant: 'success', mode: 'dismissible' }]);
    expect(notifyRecordUpdateAvailable).toHaveBeenCalledWith([{ recordId: OPPORTUNITY_ID }]);
  });

  it('after a decision, has the page reload so the provenance panel lists the value with its undo', async () => {
    decideSuggestions.mockResolvedValue([outcomes[1]]);
    const { element } = await render();
    const refreshes = [];
    element.addEventListener(RefreshEventName, (event) => refreshes.push(event));

    await click(itemFor(element, 'a025g00000SUG002AAA'), 'lightning-button.accept');

    expect(refreshes).toHaveLength(1);
  });

  it('loads again when another panel changed the deal (a value reverted)', async () => {
    await render();
    const [component, reload] = registerRefreshHandler.mock.calls.at(-1);

    await reload.call(component);

    expect(refreshApex).toHaveBeenCalledWith(expect.objectContaining({ data: suggestions }));
  });

  it('rejects one suggestion', async () => {
    decideSuggestions.mockResolvedValue([{ recordId: 'a025g00000SUG005AAA', status: 'Rejected' }]);
    const { element, toasts } = await render();

    await click(itemFor(element, 'a025g00000SUG005AAA'), 'lightning-button.reject');

    expect(decideSuggestions).toHaveBeenCalledWith({
      decisions: [{ suggestionId: 'a025g00000SUG005AAA', action: 'reject' }],
    });
    expect(toasts[0].title).toBe('1 rejected');
  });

  it('edits the due date of a task before applying it', async () => {
    decideSuggestions.mockResolvedValue([outcomes[3]]);
    const { element } = await render();
    const task = itemFor(element, 'a025g00000SUG004AAA');

    await click(task, 'lightning-button.edit');
    const dueDate = task.shadowRoot.querySelector('lightning-input.edit-due-date');
    expect(dueDate.value).toBe('2026-03-10');
    dueDate.dispatchEvent(new CustomEvent('change', { detail: { value: '2026-03-12' } }));
    await flush();
    await click(task, 'lightning-button.save');

    expect(decideSuggestions).toHaveBeenCalledWith({
      decisions: [
        {
          suggestionId: 'a025g00000SUG004AAA',
          action: 'edit',
          editedValue: 'Book a demo with the VP of Sales',
          editedDueDate: '2026-03-12',
        },
      ],
    });
  });

  it('accepts all pending suggestions at once and says which went stale and why', async () => {
    decideSuggestions.mockResolvedValue(outcomes);
    const { element, toasts } = await render();

    await click(element, 'lightning-button.accept-all');

    const sent = decideSuggestions.mock.calls[0][0].decisions;
    expect(sent.map((decision) => decision.suggestionId)).toEqual(pendingIds);
    expect(sent.every((decision) => decision.action === 'accept')).toBe(true);
    expect(toasts[0]).toEqual(
      expect.objectContaining({ title: '4 accepted, 1 stale', variant: 'warning', mode: 'sticky' }),
    );
    expect(toasts[0].message).toContain('it is now "Call Priya on Monday"');
  });

  it('says nothing was changed when the decisions cannot be saved', async () => {
    decideSuggestions.mockRejectedValue({
      body: { message: 'Nothing was changed: UNABLE_TO_LOCK_ROW, try again.' },
    });
    const { element, toasts } = await render();

    await click(element, 'lightning-button.reject-all');

    expect(toasts).toEqual([
      expect.objectContaining({
        title: 'Nothing was changed',
        message: 'Nothing was changed: UNABLE_TO_LOCK_ROW, try again.',
        variant: 'error',
      }),
    ]);
  });

  it('offers no bulk decision on a deal without suggestions', async () => {
    const { element } = await render([]);

    expect(find(element, 'lightning-button.accept-all').disabled).toBe(true);
    expect(find(element, 'lightning-button.reject-all').disabled).toBe(true);
  });

  describe('stage moves that close the deal or move it back', () => {
    it('accept all leaves them out and says how many wait for a confirmation each', async () => {
      decideSuggestions.mockResolvedValue(outcomes.slice(1));
      const { element, toasts } = await render([backward, ...suggestions.slice(1)]);

      await click(element, 'lightning-button.accept-all');

      const sent = decideSuggestions.mock.calls[0][0].decisions;
      // Every pending suggestion but the backward move, in the order shown.
      expect(sent.map((decision) => decision.suggestionId)).toEqual(pendingIds.slice(1));
      expect(sent.some((decision) => decision.confirmed)).toBe(false);
      expect(LightningConfirm.open).not.toHaveBeenCalled();
      expect(toasts[0].title).toBe('3 accepted, 1 stale');
      expect(toasts[0].message).toContain('1 stage move waits for your confirmation: accept it on its own.');
    });

    it('accept all sends nothing when every suggestion needs a confirmation, and says so', async () => {
      const { element, toasts } = await render([backward, closing]);

      await click(element, 'lightning-button.accept-all');

      expect(decideSuggestions).not.toHaveBeenCalled();
      expect(toasts).toEqual([
        {
          title: 'Nothing accepted',
          message: '2 stage moves wait for your confirmation: accept each on its own.',
          variant: 'info',
        },
      ]);
    });

    it('accepting one asks first, naming the move, and on OK sends it confirmed', async () => {
      LightningConfirm.open.mockResolvedValue(true);
      decideSuggestions.mockResolvedValue([
        { recordId: backward.id, status: 'Accepted', appliedValue: 'Prospecting' },
      ]);
      const { element, toasts } = await render([backward, ...suggestions.slice(1)]);

      await click(itemFor(element, backward.id), 'lightning-button.accept');

      expect(LightningConfirm.open).toHaveBeenCalledWith(
        expect.objectContaining({
          message: 'Move Fabrikam - Pipeline Scribe rollout from Qualification back to Prospecting?',
          label: 'Confirm the stage',
        }),
      );
      expect(decideSuggestions).toHaveBeenCalledWith({
        decisions: [{ suggestionId: backward.id, action: 'accept', confirmed: true }],
      });
      expect(toasts[0].title).toBe('1 accepted');
    });

    it('Cancel sends nothing', async () => {
      LightningConfirm.open.mockResolvedValue(false);
      const { element, toasts } = await render([closing, ...suggestions.slice(1)]);

      await click(itemFor(element, closing.id), 'lightning-button.accept');

      expect(LightningConfirm.open).toHaveBeenCalledWith(
        expect.objectContaining({
          message:
            'Move Fabrikam - Pipeline Scribe rollout from Qualification to Closed Lost? This closes the deal.',
        }),
      );
      expect(decideSuggestions).not.toHaveBeenCalled();
      expect(toasts).toEqual([]);
    });

    it('asks before an edit that closes the deal, but not before a move forward', async () => {
      LightningConfirm.open.mockResolvedValue(true);
      decideSuggestions.mockResolvedValue([outcomes[0]]);
      const { element } = await render();
      const stage = itemFor(element, 'a025g00000SUG001AAA');

      await click(stage, 'lightning-button.accept');
      expect(LightningConfirm.open).not.toHaveBeenCalled();
      expect(decideSuggestions).toHaveBeenLastCalledWith({
        decisions: [{ suggestionId: 'a025g00000SUG001AAA', action: 'accept' }],
      });

      await click(stage, 'lightning-button.edit');
      const picker = stage.shadowRoot.querySelector('lightning-combobox.edit-value');
      picker.dispatchEvent(new CustomEvent('change', { detail: { value: 'Closed Lost' } }));
      await flush();
      await click(stage, 'lightning-button.save');

      expect(LightningConfirm.open).toHaveBeenCalledTimes(1);
      expect(decideSuggestions).toHaveBeenLastCalledWith({
        decisions: [
          {
            suggestionId: 'a025g00000SUG001AAA',
            action: 'edit',
            editedValue: 'Closed Lost',
            editedDueDate: undefined,
            confirmed: true,
          },
        ],
      });
    });

    it('passes on what Salesforce says when it still waits for a confirmation', async () => {
      decideSuggestions.mockResolvedValue([
        {
          recordId: 'a025g00000SUG002AAA',
          status: 'Pending',
          message: 'Closing a deal or moving it back needs your confirmation: accept it on its own.',
        },
      ]);
      const { element, toasts } = await render();

      await click(itemFor(element, 'a025g00000SUG002AAA'), 'lightning-button.accept');

      expect(toasts[0]).toEqual(
        expect.objectContaining({
          title: '1 waiting for you',
          message: 'Closing a deal or moving it back needs your confirmation: accept it on its own.',
          variant: 'warning',
        }),
      );
    });
  });
});
