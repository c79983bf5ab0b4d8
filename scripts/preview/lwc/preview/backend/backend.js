import { SCENARIOS, DEFAULT_SCENARIO } from 'preview/scenarios';
import { APEX_METHODS } from 'preview/fakeOrg';

/**
 * Where the components' Apex calls go in the preview: to the fake org's methods over the chosen
 * scenario's records, which keep what the rep changes (decisions, reverts, snoozes, captures) until a
 * scenario is chosen again. Every call, toast, navigation and refresh is written down in
 * window.__preview, so the browser tests can check what was sent and shown.
 */
const log = {
  scenarios: SCENARIOS.map(({ name, label }) => ({ name, label })),
  calls: [],
  toasts: [],
  navigations: [],
  refreshes: 0,
  recordUpdates: [],
  uploads: [],
  pending: 0,
};
window.__preview = log;

const NEVER = new Promise(() => {});
const LATENCY_MS = 120;

/** Parameters and results cross the wire as JSON between a component and Apex; so they do here. */
const overTheWire = (value) => (value === undefined ? undefined : JSON.parse(JSON.stringify(value)));

let current = startScenario(DEFAULT_SCENARIO);

function startScenario(name) {
  const scenario = SCENARIOS.find((candidate) => candidate.name === name);
  if (!scenario) {
    throw new Error(
      `No preview scenario "${name}"; choose one of ${SCENARIOS.map((s) => s.name).join(', ')}.`,
    );
  }
  return { scenario, state: structuredClone(scenario.state) };
}

export function useScenario(name) {
  current = startScenario(name);
  log.calls.length = 0;
  log.toasts.length = 0;
  log.navigations.length = 0;
  log.recordUpdates.length = 0;
  log.uploads.length = 0;
  log.refreshes = 0;
  return current.scenario;
}

// The fake org answers after a network's delay, so spinners and disabled buttons show as they would.
// eslint-disable-next-line @lwc/lwc/no-async-operation
const wait = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

export async function callApex(method, params) {
  log.calls.push({ method, params: overTheWire(params) });
  const { scenario, state } = current;
  if (scenario.loading) return NEVER;
  const handler = APEX_METHODS[method];
  if (!handler) {
    throw new Error(`The preview has no answer for Apex method ${method}; add it to preview/fakeOrg.`);
  }
  log.pending += 1;
  try {
    await wait(LATENCY_MS);
    if (scenario.failure) throw scenario.failure(method);
    return overTheWire(await handler(state, overTheWire(params)));
  } finally {
    log.pending -= 1;
  }
}

export function recordToast(toast) {
  log.toasts.push(toast);
}

export function recordNavigation(pageReference) {
  log.navigations.push(pageReference);
}

export function recordRefresh() {
  log.refreshes += 1;
}

export function recordUpdate(records) {
  log.recordUpdates.push(...records);
}

export function recordUpload(files) {
  log.uploads.push(...files);
}
