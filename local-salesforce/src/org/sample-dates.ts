import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { DataPlanFile, DealHistories } from './seed.js';

/**
 * The sample data (scripts/data) describes one week: conversations and risk scores behind it, close
 * dates and due dates ahead. Loaded as written it ages — a newcomer a month later would see every
 * close date passed and every next step overdue — so it is moved forward to the week it is loaded
 * in. The move is in whole weeks, so a call on a Friday stays on a Friday and "next Wednesday" in
 * its notes still names the day the data says.
 */
export const SAMPLE_DATA_WRITTEN_AS_OF = '2026-11-24';

const DAY_MS = 86_400_000;
// ISO dates wherever they appear (a datetime's time stays as it is): a Date field's value, or
// "(by 2026-11-27)" in notes.
const ISO_DATE = /(?<!\d)(\d{4})-(\d{2})-(\d{2})(?!\d)/g;

/** Days to move the samples so the week they were written for becomes the week of `today`. */
export function sampleDateShiftDays(today: Date, writtenAsOf = SAMPLE_DATA_WRITTEN_AS_OF): number {
  const days = Math.floor(
    (Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), today.getUTCDate()) - Date.parse(writtenAsOf)) /
      DAY_MS,
  );
  return Math.floor(days / 7) * 7;
}

/** The text with every ISO date in it moved by `days`; a datetime keeps its time and offset. */
export function shiftIsoDates(text: string, days: number): string {
  if (days === 0) return text;
  return text.replace(ISO_DATE, (match: string, y: string, m: string, d: string) => {
    const written = new Date(Date.UTC(Number(y), Number(m) - 1, Number(d)));
    // Not a calendar date (2026-02-30): leave it as it was written.
    if (written.toISOString().slice(0, 10) !== `${y}-${m}-${d}`) return match;
    const moved = new Date(written.getTime() + days * DAY_MS);
    return moved.toISOString().slice(0, 10);
  });
}

/** The plan with every string value's dates moved by `days`; nothing else changes. */
export function shiftPlanDates(plan: DataPlanFile[], days: number): DataPlanFile[] {
  if (days === 0) return plan;
  return plan.map((file) => ({
    ...file,
    records: file.records.map((record) => {
      const { attributes, ...fields } = record;
      const moved = Object.fromEntries(
        Object.entries(fields).map(([name, value]) => [
          name,
          typeof value === 'string' ? shiftIsoDates(value, days) : value,
        ]),
      );
      return { attributes, ...moved };
    }),
  }));
}

/** The closed deals' histories with every day moved by `days`, as their records are. */
export function shiftDealHistories(histories: DealHistories, days: number): DealHistories {
  if (days === 0) return histories;
  return new Map(
    [...histories].map(([ref, changes]) => [
      ref,
      changes.map(
        (change) =>
          Object.fromEntries(
            Object.entries(change).map(([k, v]) => [k, typeof v === 'string' ? shiftIsoDates(v, days) : v]),
          ) as (typeof changes)[number],
      ),
    ]),
  );
}

/**
 * Writes the plan, moved to this week, as `sf data import tree` files in `dir` (the scratch-org
 * script loads these, so a scratch org gets the same dates the local org shows); returns the plan file.
 */
export async function writeShiftedPlan(plan: DataPlanFile[], days: number, dir: string): Promise<string> {
  await mkdir(dir, { recursive: true });
  const moved = shiftPlanDates(plan, days);
  const steps = new Map<DataPlanFile['step'], string[]>();
  for (const file of moved) {
    const name = path.basename(file.file);
    await writeFile(path.join(dir, name), JSON.stringify({ records: file.records }, null, 2) + '\n');
    steps.set(file.step, [...(steps.get(file.step) ?? []), name]);
  }
  const planFile = path.join(dir, 'sample-data-plan.json');
  await writeFile(
    planFile,
    JSON.stringify(
      [...steps].map(([step, files]) => ({ ...step, files })),
      null,
      2,
    ) + '\n',
  );
  return planFile;
}
