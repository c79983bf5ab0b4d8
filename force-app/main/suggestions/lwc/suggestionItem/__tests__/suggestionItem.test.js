import SuggestionItem from 'c/suggestionItem';
import { click, find, flush, mount } from 'lwc-test-helpers';

const suggestions = require('../../suggestionsPanel/__tests__/data/getSuggestions.json');

const byId = (id) => suggestions.find((suggestion) => suggestion.id === id);

describe('c-suggestion-item', () => {
  /** The item for the suggestion, with every decision it has sent to the panel. */
  async function render(suggestion) {
    const { element } = await mount(SuggestionItem, { props: { suggestion } });
    const decisions = [];
    element.addEventListener('decide', (event) => decisions.push(event.detail));
    return { element, decisions };
  }

  /** The item for the suggestion, its Edit button clicked. */
  async function renderEditing(id) {
    const rendered = await render(byId(id));
    await click(rendered.element, 'lightning-button.edit');
    return rendered;
  }

  it('edits a stage with the stage picklist and says what was chosen', async () => {
    const { element, decisions } = await renderEditing('a025g00000SUG001AAA');

    const picker = element.shadowRoot.querySelector('lightning-combobox.edit-value');
    expect(picker.label).toBe('New Stage');
    expect(picker.options.map((option) => option.value)).toContain('Value Proposition');
    picker.dispatchEvent(new CustomEvent('change', { detail: { value: 'Value Proposition' } }));
    await flush();
    find(element, 'lightning-button.save').click();

    expect(decisions).toEqual([
      {
        suggestionId: 'a025g00000SUG001AAA',
        action: 'edit',
        editedValue: 'Value Proposition',
        editedDueDate: undefined,
      },
    ]);
    await expect(element).toBeAccessible();
  });

  it('edits a budget as a number and can be cancelled', async () => {
    const { element, decisions } = await renderEditing('a025g00000SUG002AAA');

    const input = element.shadowRoot.querySelector('lightning-input.edit-value');
    expect(input.type).toBe('number');
    expect(input.formatter).toBe('currency');
    expect(input.value).toBe('64000');
    await click(element, 'lightning-button.cancel');

    expect(element.shadowRoot.querySelector('lightning-input.edit-value')).toBeNull();
    expect(decisions).toEqual([]);
  });

  it('edits a budget under its label, not its API name', async () => {
    const { element } = await renderEditing('a025g00000SUG002AAA');

    expect(element.shadowRoot.querySelector('lightning-input.edit-value').label).toBe('New Budget');
  });

  it('shows a budget as an amount in the deal’s currency, beside what the field holds now', async () => {
    const { element } = await render(byId('a025g00000SUG002AAA'));

    expect(element.shadowRoot.querySelector('.heading').textContent).toBe('Budget');
    const [current, proposed] = ['.current', '.proposed'].map((selector) =>
      element.shadowRoot.querySelector(selector),
    );
    expect(current.shadowRoot.textContent).toBe('empty');
    const amount = proposed.shadowRoot.querySelector('lightning-formatted-number');
    expect([amount.value, amount.formatStyle, amount.currencyCode]).toEqual([64000, 'currency', 'USD']);
    expect(element.shadowRoot.textContent).not.toContain('64000');
    expect(element.shadowRoot.querySelector('lightning-badge.confidence').label).toBe('75% sure');
  });

  it('shows a close date in the rep’s locale, the same day everywhere', async () => {
    const { element } = await render(byId('a025g00000SUG006AAA'));

    const proposed = element.shadowRoot.querySelector('.proposed').shadowRoot.querySelector('c-date-stamp');
    expect([proposed.value, proposed.precision, proposed.timeZone]).toEqual(['2026-06-15', 'day', 'UTC']);
  });

  it('names a new contact once: the card "New contact", the editor "Contact name"', async () => {
    const { element } = await renderEditing('a025g00000SUG005AAA');

    expect(element.shadowRoot.querySelector('.heading').textContent).toBe('New contact');
    expect(element.shadowRoot.querySelector('lightning-input.edit-value').label).toBe('Contact name');
    expect(element.shadowRoot.textContent).not.toContain('New New');
  });

  it('introduces a new contact with title and role', async () => {
    const { element } = await render(byId('a025g00000SUG005AAA'));

    expect(element.shadowRoot.querySelector('.heading').textContent).toBe('New contact');
    expect(element.shadowRoot.querySelector('.proposed').textContent).toBe('Dmitri Volkov');
    expect(element.shadowRoot.querySelector('.contact-details').textContent.trim()).toBe(
      'VP of Sales · Economic Buyer',
    );
  });

  it('flags a High priority task and no other', async () => {
    const { element } = await render(byId('a025g00000SUG004AAA'));
    const badge = element.shadowRoot.querySelector('lightning-badge.priority');
    expect(badge.label).toBe('High priority');
    await expect(element).toBeAccessible();

    const normal = (await render({ ...byId('a025g00000SUG004AAA'), taskPriority: 'Normal' })).element;
    expect(normal.shadowRoot.querySelector('lightning-badge.priority')).toBeNull();
  });

  it('shows the address and numbers the conversation gave a new contact', async () => {
    const { element } = await render({
      ...byId('a025g00000SUG005AAA'),
      contactEmail: 'dmitri.volkov@fabrikam.example',
      contactPhone: '+1 312 555 0148',
      contactMobile: '+1 773 555 0126',
    });

    expect(element.shadowRoot.querySelector('.contact-details').textContent.trim()).toBe(
      'VP of Sales · Economic Buyer · dmitri.volkov@fabrikam.example · +1 312 555 0148 · mobile +1 773 555 0126',
    );
  });

  it('reminds the rep that closing a deal is their call and needs their confirmation', async () => {
    const { element } = await render({
      ...byId('a025g00000SUG001AAA'),
      proposedValue: 'Closed Won',
      closedStage: true,
      needsConfirmation: true,
      stageMove: 'close',
    });

    expect(element.shadowRoot.querySelector('.needs-confirmation').textContent.trim()).toBe(
      'Closing a deal is always your call: "Accept all" leaves it for you, and accepting it asks you to confirm.',
    );
  });

  it('says a move back a stage needs confirming, and nothing for a move forward', async () => {
    const { element } = await render({
      ...byId('a025g00000SUG001AAA'),
      proposedValue: 'Prospecting',
      needsConfirmation: true,
      stageMove: 'back',
    });
    expect(element.shadowRoot.querySelector('.needs-confirmation').textContent).toContain(
      'This moves the deal back a stage',
    );

    const forward = await render(byId('a025g00000SUG001AAA'));
    expect(forward.element.shadowRoot.querySelector('.needs-confirmation')).toBeNull();
  });

  it('disables its actions while the panel is saving', async () => {
    const { element } = await render(byId('a025g00000SUG002AAA'));
    element.disabled = true;
    await flush();

    const actions = find(element, 'c-button-row.actions').shadowRoot.querySelectorAll('lightning-button');
    const disabled = [...actions].map((b) => b.disabled);
    expect(disabled).toEqual([true, true, true]);
  });
});
