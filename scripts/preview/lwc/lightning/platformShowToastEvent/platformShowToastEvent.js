/**
 * The preview's lightning/platformShowToastEvent: the same event the platform listens for; the gallery
 * shows it with the lightning-toast base component.
 */
export class ShowToastEvent extends CustomEvent {
  constructor(toast) {
    super('lightning__showtoast', { bubbles: true, composed: true, cancelable: true, detail: toast });
  }
}
