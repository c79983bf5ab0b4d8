// File helpers shared by the force-app checks.
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const FORCE_APP = path.join(ROOT, 'force-app');

/** Every file under dir whose name passes the test, sorted, skipping jest folders. */
export function listFiles(dir, test) {
  const out = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      if (entry.name !== '__tests__' && entry.name !== 'node_modules') out.push(...listFiles(full, test));
    } else if (test(entry.name, full)) {
      out.push(full);
    }
  }
  return out.sort();
}

export const relative = (file) => path.relative(ROOT, file);

/** Runs one named check, prints its duration, and returns its problems. */
export async function timed(name, check) {
  const started = performance.now();
  const problems = await check();
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  const verdict = problems.length === 0 ? 'ok' : `${problems.length} problem(s)`;
  console.log(`${name}: ${verdict} (${seconds} s)`);
  for (const problem of problems) console.log(`  ${problem}`);
  return problems;
}
