import { createElement } from 'lwc';
import SuggestionItem from 'c/suggestionItem';

const suggestions = require('../../suggestionsPanel/__tests__/data/getSuggestions.json');

const flush = () => Promise.resolve();
const byId = (id) => suggestions.find((suggestion) => suggestion.id === id);

describe('c-suggestion-item', () => {
  afterEach(() => {
    while (document.body.firstChild) document.body.removeChild(document.body.firstChild);
  });

  function render(suggestion) {
    const element = createElement('c-suggestion-item', { is: SuggestionItem });
    element.suggestion = suggestion;
    const decisions = [];
    element.addEventListener('decide', (event) => decisions.push(event.detail));
    document.body.appendChild(element);
    return { element, decisions };
  }

  it('edits a stage with the stage picklist and says what was chosen', async () => {
    const { element, decisions } = render(byId('a025g00000SUG001AAA'));

    element.shadowRoot.querySelector('lightning-button.edit').click();
    await flush();
    const picker = element.shadowRoot.querySelector('lightning-combobox.edit-value');
    expect(picker.label).toBe('New Stage');
    expect(picker.options.map((option) => option.value)).toContain('Value Proposition');
    picker.dispatchEvent(new CustomEvent('change', { detail: { value: 'Value Proposition' } }));
    await flush();
    element.shadowRoot.querySelector('lightning-button.save').click();

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
    const { element, decisions } = render(byId('a025g00000SUG002AAA'));

    element.shadowRoot.querySelector('lightning-button.edit').click();
    await flush();
    const input = element.shadowRoot.querySelector('lightning-input.edit-value');
    expect(input.type).toBe('number');
    expect(input.value).toBe('64000');
    element.shadowRoot.querySelector('lightning-button.cancel').click();
    await flush();

    expect(element.shadowRoot.querySelector('lightning-input.edit-value')).toBeNull();
    expect(decisions).toEqual([]);
  });

  it('introduces a new contact with title and role', () => {
    const { element } = render(byId('a025g00000SUG005AAA'));

    expect(element.shadowRoot.querySelector('.heading').textContent).toBe('New contact');
    expect(element.shadowRoot.querySelector('.proposed').textContent).toBe('Dmitri Volkov');
    expect(element.shadowRoot.querySelector('.contact-details').textContent.trim()).toBe(
      'VP of Sales · Economic Buyer',
    );
  });

  it('flags a High priority task and no other', async () => {
    const { element } = render(byId('a025g00000SUG004AAA'));
    const badge = element.shadowRoot.querySelector('lightning-badge.priority');
    expect(badge.label).toBe('High priority');
    await expect(element).toBeAccessible();

    const normal = render({ ...byId('a025g00000SUG004AAA'), taskPriority: 'Normal' }).element;
    expect(normal.shadowRoot.querySelector('lightning-badge.priority')).toBeNull();
  });

  it('reminds the rep that closing a deal is their call', () => {
    const { element } = render({
      ...byId('a025g00000SUG001AAA'),
      proposedValue: 'Closed Won',
      closedStage: true,
    });

    expect(element.shadowRoot.querySelector('.closed-stage').textContent).toContain('always your call');
  });

  it('disables its actions while the panel is saving', () => {
    const { element } = render(byId('a025g00000SUG002AAA'));
    element.disabled = true;

    return flush().then(() => {
      const disabled = [...element.shadowRoot.querySelectorAll('.actions lightning-button')].map(
        (b) => b.disabled,
      );
      expect(disabled).toEqual([true, true, true]);
    });
  });
});
