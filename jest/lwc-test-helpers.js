// What the Lightning web component tests of force-app share; imported as 'lwc-test-helpers'
// (jest.config.js moduleNameMapper). The set-up every test gets is in lwc-setup.js.
import { createElement } from 'lwc';

/** Lets the component's promises settle and the page re-render: a timer, so awaited Apex calls finish too. */
export const flush = () => new Promise((resolve) => setTimeout(resolve, 0));

/**
 * Puts a component on the page as Lightning would: its public properties set, then inserted; with
 * `wire` and `data`, the wired Apex method hands the data over (without data the component still waits).
 * Returns the element and every toast it raised, as a rep would have seen them.
 * @param {string} tag e.g. 'c-risk-panel'
 * @param {Function} Component the component's class
 * @param {{props?: object, wire?: {emit: Function}, data?: unknown}} [options]
 */
export async function mount(tag, Component, { props = {}, wire, data } = {}) {
  const element = createElement(tag, { is: Component });
  Object.assign(element, props);
  const toasts = [];
  element.addEventListener('lightning__showtoast', (event) => toasts.push(event.detail));
  document.body.appendChild(element);
  if (wire && data !== undefined) wire.emit(data);
  await flush();
  return { element, toasts };
}

/** An element of a panel's loading, error or empty state, which its c-panel-state renders in its own shadow root. */
export const inPanel = (element, selector) =>
  element.shadowRoot.querySelector('c-panel-state').shadowRoot.querySelector(selector);
