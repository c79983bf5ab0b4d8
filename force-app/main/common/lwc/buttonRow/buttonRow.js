import { LightningElement, api } from 'lwc';

/**
 * A row of buttons for the choices a rep has on one thing (accept, edit or reject a suggestion; done,
 * snooze or dismiss an action; save or cancel an edit): joined as a button group, or spaced apart. It
 * only says which was chosen, as a `choose` event with `detail.name`; the component using it acts.
 */
export default class ButtonRow extends LightningElement {
  /** The buttons in order, `{ name, label, variant?, disabled? }`; `name` is also the button's class. */
  @api buttons = [];
  /** Joined as one button group instead of spaced apart. */
  @api grouped = false;
  /** Every button disabled, e.g. while a choice is being saved. */
  @api disabled = false;
  /** What every button acts on, e.g. the action's text, as its tooltip. */
  @api buttonTitle;

  get shown() {
    return this.buttons.map((button, index) => ({
      name: button.name,
      label: button.label,
      variant: button.variant ?? 'neutral',
      disabled: this.disabled || Boolean(button.disabled),
      className: this.grouped || index === 0 ? button.name : `${button.name} slds-m-left_x-small`,
    }));
  }

  handleClick(event) {
    this.dispatchEvent(new CustomEvent('choose', { detail: { name: event.target.dataset.name } }));
  }
}
