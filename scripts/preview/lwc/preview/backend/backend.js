import { SCENARIOS, DEFAULT_SCENARIO } from 'preview/scenarios';
import { APEX_METHODS } from 'preview/fakeOrg';

/**
 * Where the components' Apex calls go in the preview: to the fake org's methods over the chosen
 * scenario's records, which keep what the rep changes (decisions, reverts, snoozes, captures) until a
 * scenario is chosen again; or, opened with ?org=live&user=<username>, to a live local org as that user
 * (the preview server's /org bridge), with the scenario answering only the methods the org does not
 * emulate (listed in window.__preview.fixtureMethods). Every call, toast, navigation and refresh is
 * written down in window.__preview, so the browser tests can check what was sent and shown.
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
  fixtureMethods: [],
};
window.__preview = log;

const query = new URLSearchParams(window.location.search);
/** The local org's user the page acts as, or null when the scenario's fixtures answer everything. */
export const ORG_USER = query.get('org') === 'live' ? query.get('user') : null;
log.org = ORG_USER ? { user: ORG_USER } : null;

const recordListeners = new Set();

/** Hears each record the page was told changed (notifyRecordUpdateAvailable, a refresh). */
export function onRecordChange(listener) {
  recordListeners.add(listener);
  return () => recordListeners.delete(listener);
}

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

/** Posts to the preview server's bridge to the local org; counted as pending, like an Apex call. */
async function askOrg(path, body) {
  log.pending += 1;
  try {
    const response = await fetch(path, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ user: ORG_USER, ...body }),
    });
    const answer = await response.json();
    if (answer.error) throw answer.error;
    return answer;
  } finally {
    log.pending -= 1;
  }
}

/** The record a record page shows, as the org has it now (for the highlights panel). */
export async function fetchRecord(recordId) {
  return (await askOrg('/org/record', { recordId })).result;
}

/** Who the page acts as in the org, and which Apex methods the org answers. */
export async function fetchOrgUser() {
  return (await askOrg('/org/user', {})).result;
}

export async function callApex(method, params) {
  log.calls.push({ method, params: overTheWire(params) });
  const { scenario, state } = current;
  if (scenario.loading) return NEVER;
  if (ORG_USER) {
    const answer = await askOrg('/org/apex', { method, params: overTheWire(params) ?? {} });
    if (answer.served !== false) return answer.result;
    if (!log.fixtureMethods.includes(method)) log.fixtureMethods.push(method);
  }
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
  for (const listener of recordListeners) listener(records);
}

export function recordUpload(files) {
  log.uploads.push(...files);
}
