/**
 * The preview's lightning/confirm: the platform's LightningConfirm draws its dialog in Lightning's
 * overlay container, which the gallery does not have, so a native modal <dialog> asks the same
 * question with SLDS buttons. Like the platform's, `open` resolves to true for OK and false for Cancel
 * (Escape cancels).
 */
export default class LightningConfirm {
  static open({ message, label }) {
    const dialog = document.createElement('dialog');
    dialog.className = 'preview-confirm slds-p-around_medium';
    dialog.setAttribute('role', 'alertdialog');
    dialog.setAttribute('aria-labelledby', 'preview-confirm-label');
    dialog.setAttribute('aria-describedby', 'preview-confirm-message');
    const heading = Object.assign(document.createElement('h2'), {
      id: 'preview-confirm-label',
      className: 'slds-text-heading_small slds-m-bottom_small',
      textContent: label ?? 'Confirm',
    });
    const text = Object.assign(document.createElement('p'), {
      id: 'preview-confirm-message',
      className: 'slds-m-bottom_medium',
      textContent: message,
    });
    const button = (name, caption, variant) =>
      Object.assign(document.createElement('button'), {
        className: `slds-button slds-button_${variant} ${name}`,
        textContent: caption,
        value: name,
      });
    const form = Object.assign(document.createElement('form'), { method: 'dialog' });
    form.className = 'slds-grid slds-grid_align-end';
    form.append(button('cancel', 'Cancel', 'neutral'), button('ok', 'OK', 'brand'));
    dialog.append(heading, text, form);
    document.body.append(dialog);
    return new Promise((resolve) => {
      dialog.addEventListener('close', () => {
        resolve(dialog.returnValue === 'ok');
        dialog.remove();
      });
      dialog.showModal();
    });
  }
}
