import { ShowToastEvent } from 'lightning/platformShowToastEvent';
import { NavigationMixin } from 'lightning/navigation';

/**
 * Reduces the errors Lightning Data Service and Apex hand to a component (one error, an array, a fetch
 * response body, page and field errors) to a flat list of messages a rep can read.
 * @param {unknown} errors
 * @returns {string[]}
 */
export function reduceErrors(errors) {
  const list = Array.isArray(errors) ? errors : [errors];
  return list
    .filter((error) => error !== undefined && error !== null)
    .flatMap((error) => messagesOf(error))
    .filter((message) => typeof message === 'string' && message.length > 0);
}

function messagesOf(error) {
  if (typeof error === 'string') return [error];
  const body = error.body;
  if (Array.isArray(body)) return body.map((entry) => entry.message);
  if (body && typeof body === 'object') {
    const pageErrors = (body.pageErrors ?? []).map((entry) => entry.message);
    const fieldErrors = Object.values(body.fieldErrors ?? {})
      .flat()
      .map((entry) => entry.message);
    const own = typeof body.message === 'string' ? [body.message] : [];
    const all = [...own, ...pageErrors, ...fieldErrors];
    if (all.length > 0) return all;
  }
  if (typeof error.message === 'string') return [error.message];
  return [error.statusText].filter(Boolean);
}

/**
 * Takes a wired Apex result into a panel: its value (shaped by `toValue`) into `panel[field]`, the error
 * into `panel.error`, and loading done. The wire calls first with neither data nor error while it
 * waits; that call changes nothing, so the panel keeps spinning.
 * @param {object} panel the component, with `error` and `isLoading` fields
 * @param {string} field where the value goes, e.g. 'deals'
 * @param {{data?: unknown, error?: unknown}} result what the wire handed over
 * @param {(data: unknown) => unknown} [toValue] shapes the data for the template
 * @param {unknown} [emptyValue] the value while an error shows, e.g. []
 */
export function applyWired(panel, field, result, toValue = (data) => data, emptyValue = undefined) {
  if (result.data) {
    panel[field] = toValue(result.data);
    panel.error = undefined;
    panel.isLoading = false;
  } else if (result.error) {
    panel[field] = emptyValue;
    panel.error = result.error;
    panel.isLoading = false;
  }
}

/**
 * The toast for an action that failed: what did not happen, then Salesforce's messages; sticky, so a
 * rep who looked away still reads it.
 * @param {string} title e.g. "The conversation was not saved"
 * @param {unknown} error what Apex or Lightning Data Service threw
 */
export function errorToast(title, error) {
  return new ShowToastEvent({
    title,
    message: reduceErrors(error).join(' '),
    variant: 'error',
    mode: 'sticky',
  });
}

/**
 * A panel's state as c-panel-state takes it: loading, the error, whether it is empty, and what it says
 * for each. Messages live with the panel's code so they can become custom labels in one place.
 * @param {{isLoading: boolean, error: unknown, isEmpty: boolean}} panel
 * @param {{loading: string, error: string, empty?: string}} messages
 */
export function panelState(panel, messages) {
  return { isLoading: panel.isLoading, errors: panel.error, isEmpty: panel.isEmpty, messages };
}

/**
 * What a panel that shows one wired Apex result decides the same way as every other: it is empty once
 * loaded without error and without content, ready once loaded with content, and hands c-panel-state
 * its state. The component keeps its own reactive fields (`isLoading = true`, `error`, the field that
 * `applyWired` fills) and says what counts as content:
 * `extends LoadingPanel(LightningElement, { content: (panel) => panel.deals.length > 0, messages })`.
 * @param {Function} Base LightningElement, or a mixin over it such as NavigationMixin(LightningElement)
 * @param {{content: (panel: object) => boolean, messages: {loading: string, error: string, empty?: string}}} panel
 */
export function LoadingPanel(Base, { content, messages }) {
  return class extends Base {
    get hasContent() {
      return Boolean(content(this));
    }

    get isEmpty() {
      return !this.isLoading && !this.error && !this.hasContent;
    }

    get isReady() {
      return !this.isLoading && !this.error && this.hasContent;
    }

    get panelState() {
      return panelState(this, messages);
    }
  };
}

/**
 * Opens the record a link in a list names (its `data-id`) in Lightning, instead of the browser following
 * the link's plain URL; the URL stays for open-in-new-tab.
 * @param {object} component a component built on NavigationMixin
 * @param {Event} event the click on a link with `data-id`
 */
export function openRecordLink(component, event) {
  event.preventDefault();
  component[NavigationMixin.Navigate]({
    type: 'standard__recordPage',
    attributes: { recordId: event.currentTarget.dataset.id, actionName: 'view' },
  });
}
