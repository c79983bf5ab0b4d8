// Paths and the report format shared by the force-app checks. The package's files are listed and read
// by @pipeline-scribe/force-app-model (run the checks with `node --import tsx`).
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export { DEFAULT_PACKAGE_DIR as FORCE_APP, listFiles } from '@pipeline-scribe/force-app-model';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

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
