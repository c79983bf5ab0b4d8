// Writes scripts/data moved to this week into the folder named by the first argument and prints the
// plan file to load, so a scratch org gets the same dates as the local org (both through one module).
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { readDataPlan } from '@pipeline-scribe/local-salesforce/org/seed';
import { sampleDateShiftDays, writeShiftedPlan } from '@pipeline-scribe/local-salesforce/org/sample-dates';

const [dir] = process.argv.slice(2);
if (!dir) {
  process.stderr.write(
    'usage: node --import tsx scripts/sample-data-this-week.mjs <folder to write the plan into>\n',
  );
  process.exit(2);
}
const plan = path.resolve(path.dirname(fileURLToPath(import.meta.url)), 'data/sample-data-plan.json');
process.stdout.write(
  `${await writeShiftedPlan(await readDataPlan(plan), sampleDateShiftDays(new Date()), path.resolve(dir))}\n`,
);
