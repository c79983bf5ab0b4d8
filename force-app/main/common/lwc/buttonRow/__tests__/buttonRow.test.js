import ButtonRow from 'c/buttonRow';
import { flush, mount } from 'lwc-test-helpers';

const CHOICES = [
  { name: 'accept', label: 'Accept', variant: 'brand' },
  { name: 'edit', label: 'Edit' },
  { name: 'reject', label: 'Reject', disabled: true },
];

describe('c-button-row', () => {
  async function render(props) {
    const { element } = await mount(ButtonRow, { props: { buttons: CHOICES, ...props } });
    const chosen = [];
    element.addEventListener('choose', (event) => chosen.push(event.detail.name));
    return { element, chosen };
  }

  const buttons = (element) => [...element.shadowRoot.querySelectorAll('lightning-button')];

  it('shows each choice in order, spaced apart, and says which one the rep clicked', async () => {
    const { element, chosen } = await render({ buttonTitle: 'Budget' });

    expect(element.shadowRoot.querySelector('lightning-button-group')).toBeNull();
    expect(
      buttons(element).map((button) => [button.className, button.label, button.variant, button.title]),
    ).toEqual([
      ['accept', 'Accept', 'brand', 'Budget'],
      ['edit slds-m-left_x-small', 'Edit', 'neutral', 'Budget'],
      ['reject slds-m-left_x-small', 'Reject', 'neutral', 'Budget'],
    ]);
    buttons(element)[1].click();
    expect(chosen).toEqual(['edit']);
    await expect(element).toBeAccessible();
  });

  it('joins the choices as one group when asked', async () => {
    const { element } = await render({ grouped: true });

    const group = element.shadowRoot.querySelector('lightning-button-group');
    expect([...group.querySelectorAll('lightning-button')].map((button) => button.className)).toEqual([
      'accept',
      'edit',
      'reject',
    ]);
  });

  it('disables a choice that is not open, or every choice while the last one is saved', async () => {
    const { element } = await render();
    expect(buttons(element).map((button) => button.disabled)).toEqual([false, false, true]);

    element.disabled = true;
    await flush();
    expect(buttons(element).map((button) => button.disabled)).toEqual([true, true, true]);
  });
});
