// What the Lightning web component tests of force-app share; imported as 'lwc-test-helpers'
// (jest.config.js moduleNameMapper). The set-up every test gets is in lwc-setup.js.
import { createElement } from 'lwc';

/** Lets the component's promises settle and the page re-render: a timer, so awaited Apex calls finish too. */
export const flush = () => new Promise((resolve) => setTimeout(resolve, 0));

/** The tag a component is placed with, from its class: HygieneList is c-hygiene-list. */
const tagOf = (Component) =>
  `c-${Component.name.replace(/[A-Z]/g, (letter, at) => `${at ? '-' : ''}${letter.toLowerCase()}`)}`;

/**
 * Puts a component on the page as Lightning would: its public properties set, then inserted; with
 * `wire` and `data`, the wired Apex method hands the data over (without data the component still waits).
 * Returns the element and every toast it raised, as a rep would have seen them.
 * @param {Function} Component the component's class
 * @param {{props?: object, wire?: {emit: Function}, data?: unknown}} [options]
 */
export async function mount(Component, { props = {}, wire, data } = {}) {
  const element = createElement(tagOf(Component), { is: Component });
  Object.assign(element, props);
  const toasts = [];
  element.addEventListener('lightning__showtoast', (event) => toasts.push(event.detail));
  document.body.appendChild(element);
  if (wire && data !== undefined) wire.emit(data);
  await flush();
  return { element, toasts };
}

/**
 * The first element matching `selector` that a rep sees in `scope` (a component or an element of one):
 * it looks into the shadow roots of the package's own child components too (c-*), as the eye does,
 * but not into the base components.
 */
export function find(scope, selector) {
  const root = scope.shadowRoot ?? scope;
  const children = [...root.querySelectorAll('*')].filter((child) => child.tagName.startsWith('C-'));
  return root.querySelector(selector) ?? children.map((child) => find(child, selector)).find(Boolean) ?? null;
}

/** Clicks what `selector` finds in `scope` (see find), as a rep would, and waits for what it sets off. */
export async function click(scope, selector) {
  find(scope, selector).click();
  await flush();
}

/** The panel's card: the c-panel-card its content sits in. */
export const cardOf = (element) =>
  element.shadowRoot.querySelector('c-panel-card').shadowRoot.querySelector('lightning-card');

/**
 * An element of a panel's loading, error or empty state, which its c-panel-state renders in its own
 * shadow root (inside the panel's c-panel-card, for a panel drawn on one).
 */
export function inPanel(element, selector) {
  const card = element.shadowRoot.querySelector('c-panel-card');
  const states = (card ?? element).shadowRoot.querySelector('c-panel-state');
  return states.shadowRoot.querySelector(selector);
}

/**
 * The tests of what every panel built on LoadingPanel (c/ldsUtils) shows before its content: a spinner
 * saying what loads until the wire answers; the error panel saying what failed, with what Salesforce
 * said; and, for a panel without its own empty view, its sentence when the wire hands over nothing.
 * Call inside the panel's describe.
 * @param {Function} Component the panel's class
 * @param {{props?: object, wire: object, loading: string, error: string, empty?: {data: unknown, says: string}}} panel
 */
export function itShowsPanelStates(Component, { props, wire, loading, error, empty }) {
  it(`spins while it loads, saying "${loading}"`, async () => {
    const { element } = await mount(Component, { props });

    expect(inPanel(element, 'lightning-spinner').alternativeText).toBe(loading);
    expect(inPanel(element, 'c-error-panel')).toBeNull();
  });

  it(`says "${error}" and what Salesforce said when it cannot load`, async () => {
    const { element } = await mount(Component, { props });
    wire.error({ message: 'You do not have access to the Apex class.' });
    await flush();

    const errorPanel = inPanel(element, 'c-error-panel');
    expect(errorPanel.friendlyMessage).toBe(error);
    expect(errorPanel.shadowRoot.querySelector('.messages').textContent).toBe(
      'You do not have access to the Apex class.',
    );
    expect(inPanel(element, 'lightning-spinner')).toBeNull();
    expect(inPanel(element, '.empty')).toBeNull();
  });

  if (empty) {
    it(`says "${empty.says}" when there is nothing to show`, async () => {
      const { element } = await mount(Component, { props, wire, data: empty.data });

      expect(inPanel(element, '.empty').textContent).toBe(empty.says);
      expect(inPanel(element, 'lightning-spinner')).toBeNull();
      await expect(element).toBeAccessible();
    });
  }
}

/**
 * Every page a component asked lightning/navigation for (the platform's stub goes nowhere). A test
 * takes it with `jest.mock('lightning/navigation', () => require('lwc-test-helpers').navigationModule())`.
 */
export const navigations = jest.fn();

export function navigationModule() {
  const Navigate = Symbol('Navigate');
  const NavigationMixin = (Base) =>
    class extends Base {
      [Navigate](pageReference) {
        navigations(pageReference);
      }
    };
  NavigationMixin.Navigate = Navigate;
  NavigationMixin.GenerateUrl = Symbol('GenerateUrl');
  return { NavigationMixin };
}
