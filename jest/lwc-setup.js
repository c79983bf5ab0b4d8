// Set up before every Lightning web component test (jest.config.js, setupFilesAfterEnv).
import fs from 'node:fs';
import path from 'node:path';

const FORCE_APP = path.join(__dirname, '..', 'force-app');
const APEX_METHOD = /['"](@salesforce\/apex\/[\w]+\.[\w]+)['"]/g;

/** Every `@salesforce/apex/Class.method` that a component of force-app imports (its tests aside). */
function apexMethodsOfComponents(dir = FORCE_APP) {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === '__tests__' ? [] : apexMethodsOfComponents(full);
    if (!entry.name.endsWith('.js') || !full.includes(`${path.sep}lwc${path.sep}`)) return [];
    return [...fs.readFileSync(full, 'utf8').matchAll(APEX_METHOD)].map((match) => match[1]);
  });
}

// Apex is not there in a unit test. Each method a component imports is a jest.fn that is also a test
// wire adapter: a test drives a @wire with `emit`/`error` and reads `getLastConfig()`, or answers an
// imperative call with `mockResolvedValue`/`mockRejectedValue`, on the method it imports, as the
// component sees it. A test that needs another double still declares its own jest.mock.
for (const method of new Set(apexMethodsOfComponents())) {
  jest.mock(
    method,
    () => {
      const { createApexTestWireAdapter } = require('@salesforce/sfdx-lwc-jest');
      return { default: createApexTestWireAdapter(jest.fn()) };
    },
    { virtual: true },
  );
}

// Each test starts on an empty page.
afterEach(() => {
  while (document.body.firstChild) document.body.removeChild(document.body.firstChild);
});
