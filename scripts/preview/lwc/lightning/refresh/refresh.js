/**
 * The preview's lightning/refresh: components register what to reload, a RefreshEvent bubbles to the
 * page (the gallery), and the page calls every registered handler, as Lightning Experience does.
 */
const handlers = new Map();
let lastId = 0;

export class RefreshEvent extends CustomEvent {
  constructor() {
    super('lightning__refreshevent', { bubbles: true, composed: true });
  }
}

export function registerRefreshHandler(contextElement, providerMethod) {
  lastId += 1;
  handlers.set(lastId, () => providerMethod.call(contextElement));
  return lastId;
}

export function unregisterRefreshHandler(id) {
  handlers.delete(id);
}

export function refreshAll() {
  return Promise.all([...handlers.values()].map((refresh) => refresh()));
}
