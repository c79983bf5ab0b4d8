import { callApex } from 'preview/backend';

/** The platform hands cacheable Apex results to components read-only; so does the preview. */
function deepFreeze(value) {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    Object.values(value).forEach(deepFreeze);
  }
  return value;
}

/** Which wire adapter produced a provisioned result, so refreshApex can ask it again. */
const adapterOf = new WeakMap();

/**
 * What `import method from '@salesforce/apex/Class.method'` gives a component: a function for
 * imperative calls that is also a wire adapter, both answered by the current scenario.
 */
export function apexMethod(name) {
  const method = (params) => callApex(name, params ?? {});

  class ApexWireAdapter {
    constructor(dataCallback) {
      this.dataCallback = dataCallback;
      this.config = undefined;
    }

    connect() {}

    disconnect() {}

    update(config) {
      this.config = config;
      this.fetch();
    }

    async fetch() {
      let result;
      try {
        result = { data: deepFreeze(await callApex(name, { ...this.config })), error: undefined };
      } catch (error) {
        result = { data: undefined, error };
      }
      adapterOf.set(result, this);
      this.dataCallback(result);
    }
  }

  method.adapter = ApexWireAdapter;
  return method;
}

/** Asks the wire adapter behind a provisioned result for fresh data, as the platform's refreshApex does. */
export function refreshApex(wiredResult) {
  const adapter = adapterOf.get(wiredResult);
  return adapter ? adapter.fetch() : Promise.resolve();
}
