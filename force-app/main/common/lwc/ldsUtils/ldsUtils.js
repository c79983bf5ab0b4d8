import { ShowToastEvent } from 'lightning/platformShowToastEvent';
import { NavigationMixin } from 'lightning/navigation';
import { notifyRecordUpdateAvailable } from 'lightning/uiRecordApi';
import { refreshApex } from '@salesforce/apex';
import { registerRefreshHandler, unregisterRefreshHandler } from 'lightning/refresh';
import LOCALE from '@salesforce/i18n/locale';
import USER_CURRENCY from '@salesforce/i18n/currency';

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
 * What every panel that shows one wired Apex result does alike: it loads (`isLoading`), keeps the error
 * and the last wired result (for refreshApex), is empty once loaded without content and ready once
 * loaded with some, and hands c-panel-state its state. The component names the field its content goes
 * in and what it says while loading, when loading failed and when empty, and passes each wired result
 * to `takeWired`: `extends LoadingPanel(LightningElement, { field: 'deals', messages })`.
 * A panel whose content is more than a non-empty value overrides `hasContent`.
 * @param {Function} Base LightningElement, or a mixin over it such as NavigationMixin(LightningElement)
 * @param {{field: string, messages: {loading: string, error: string, empty?: string}}} panel
 */
export function LoadingPanel(Base, { field, messages, reloadsWithPage = false }) {
  return class extends Base {
    isLoading = true;
    error;
    wiredResult;
    refreshHandlerId;

    // With `reloadsWithPage`, a change another panel makes on the page (a RefreshEvent: a suggestion
    // accepted, a value reverted) loads this panel again, so the two never disagree.
    connectedCallback() {
      super.connectedCallback?.();
      if (reloadsWithPage) this.refreshHandlerId = registerRefreshHandler(this, this.refresh);
    }

    disconnectedCallback() {
      super.disconnectedCallback?.();
      if (this.refreshHandlerId) unregisterRefreshHandler(this.refreshHandlerId);
    }

    refresh() {
      return refreshApex(this.wiredResult);
    }

    /**
     * Takes what the wire handed over into the panel's field, shaped by `toValue` (see applyWired); while
     * an error shows, a list panel shows an empty list and any other panel no value.
     */
    takeWired(result, toValue) {
      this.wiredResult = result;
      applyWired(this, field, result, toValue, Array.isArray(this[field]) ? [] : undefined);
    }

    get hasContent() {
      const value = this[field];
      return Array.isArray(value) ? value.length > 0 : Boolean(value);
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

    /**
     * Makes a change the rep asked for and shows it: `change` saves and resolves to the toast that says
     * what happened; then the page's record (if any) and the panel load again, so every component on the
     * page shows the change. A failure is a sticky error toast titled `failure`.
     * @param {string} failure e.g. "Nothing was reverted"
     * @param {() => Promise<{title: string, message?: string, variant: string}>} change
     */
    async applyChange(failure, change) {
      try {
        this.dispatchEvent(new ShowToastEvent(await change()));
        if (this.recordId) await notifyRecordUpdateAvailable([{ recordId: this.recordId }]);
        await refreshApex(this.wiredResult);
      } catch (error) {
        this.dispatchEvent(errorToast(failure, error));
      }
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

/**
 * A field's value held as text by Apex, written as the rep reads it in their locale, for sentences that
 * cannot hold a c-field-value (a toast): an amount in the record's currency, a percent, a date; blank
 * is "empty", and a value that is not what its type says stays as it is.
 * @param {string} value
 * @param {string} displayType currency, percent, double, integer, long, date, or anything else for text
 * @param {string} [currencyCode] the record's currency in a multi-currency org
 * @returns {string}
 */
export function formatFieldValue(value, displayType, currencyCode) {
  if (value === null || value === undefined || String(value).trim() === '') return 'empty';
  if (displayType === 'date' && /^\d{4}-\d{2}-\d{2}$/.test(value)) {
    // Noon UTC keeps the calendar day in every time zone the user may be in.
    return new Intl.DateTimeFormat(LOCALE, { dateStyle: 'medium', timeZone: 'UTC' }).format(
      new Date(`${value}T12:00:00Z`),
    );
  }
  const number = Number(value);
  if (!Number.isFinite(number)) return String(value);
  if (displayType === 'currency') {
    const whole = Number.isInteger(number) ? { maximumFractionDigits: 0 } : {};
    return new Intl.NumberFormat(LOCALE, {
      style: 'currency',
      currency: currencyCode || USER_CURRENCY,
      ...whole,
    }).format(number);
  }
  if (displayType === 'percent') return `${new Intl.NumberFormat(LOCALE).format(number)}%`;
  if (['double', 'integer', 'long'].includes(displayType))
    return new Intl.NumberFormat(LOCALE).format(number);
  return String(value);
}
