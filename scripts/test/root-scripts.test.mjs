// `npm start -- --reset` must reach `scribe start`: without a trailing `--`, the root's forwarding
// script handed --reset to the inner npm as a config flag and the reset silently did nothing.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';

const { scripts } = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8'));

test('every root script that runs a workspace script hands its arguments on', () => {
  const forwarding = Object.entries(scripts).filter(([, command]) => /^npm run .*--workspace /.test(command));
  assert.ok(forwarding.length >= 10, 'the root forwards start, the evaluations and the benches');
  const swallowing = forwarding
    .filter(([, command]) => !command.trimEnd().endsWith(' --'))
    .map(([name]) => name);
  assert.deepEqual(swallowing, [], `end these root scripts with " --": ${swallowing.join(', ')}`);
});
