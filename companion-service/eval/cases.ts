import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import {
  AffiliationSchema,
  ContactDetailKindSchema,
  NextStepPrioritySchema,
  StageDirectionSchema,
  StakeholderRoleSchema,
} from '../src/domain/insights/schema.js';

/** The labels of one evaluation case (eval/cases/<half>/<NN-slug>/expected.json); eval/README.md explains each field. */
const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'expected a date as YYYY-MM-DD');
const money = z.object({
  amount: z.number().positive(),
  currency: z.string().regex(/^[A-Z]{3}$/, 'expected an ISO 4217 code such as USD'),
});

/**
 * Company and deal facts, labelled on the cases written for them; optional so the cases labelled
 * before they existed still load (and count for none of these figures). Inside, every key is
 * required: null (or []) says the conversation does not state it.
 */
export const FactsLabelSchema = z.object({
  employees: z.number().int().positive().nullable(),
  revenue: money.nullable(),
  techStack: z.array(z.string().min(1)),
  users: z.number().int().positive().nullable(),
  useCase: z.string().min(1).nullable().describe('words of the conversation the use case read must hold'),
  decisionTimeline: z.object({ date: isoDate.nullable() }).nullable(),
});

export const ExpectedCaseSchema = z
  .object({
    description: z.string().min(1),
    meetingDate: isoDate,
    currentStage: z.string().min(1).nullable(),
    competitors: z.array(z.string().min(1)),
    stakeholders: z.array(
      z.object({
        name: z.string().min(1),
        affiliation: AffiliationSchema,
        role: StakeholderRoleSchema.nullable(),
      }),
    ),
    budget: z
      .object({
        amount: z.number().positive(),
        currency: z.string().regex(/^[A-Z]{3}$/, 'expected an ISO 4217 code such as USD'),
        // Absent: only the amount is scored. null: one figure, no range. A range: both ends are scored.
        range: z
          .object({ low: z.number().positive(), high: z.number().positive() })
          .refine((r) => r.low < r.high, { message: 'a range needs low below high', path: ['low'] })
          .nullable()
          .optional(),
      })
      .refine((b) => !b.range || b.range.high === b.amount, {
        message: 'a range is recorded at its ceiling: amount must equal range.high',
        path: ['amount'],
      })
      .nullable(),
    timeline: z.object({ date: isoDate.nullable() }).nullable(),
    stage: z.object({ to: z.string().min(1).nullable(), direction: StageDirectionSchema }),
    nextSteps: z.array(
      z.object({
        text: z.string().optional(),
        owner: z.string().min(1).nullable(),
        dueDate: isoDate.nullable(),
        /** Scored only where given: cases labelled before priorities existed have none. */
        priority: NextStepPrioritySchema.optional(),
      }),
    ),
    /** Absent: the case is not scored for contact details (it was labelled before they were). */
    contactDetails: z
      .array(z.object({ person: z.string().min(1), kind: ContactDetailKindSchema, value: z.string().min(1) }))
      .optional(),
    facts: FactsLabelSchema.optional(),
  })
  .refine((c) => c.stage.direction !== 'none' || c.stage.to === c.currentStage, {
    message: 'a stage with direction "none" must have "to" equal to currentStage',
    path: ['stage', 'to'],
  });
export type ExpectedCase = z.infer<typeof ExpectedCaseSchema>;

export interface EvalCase {
  id: string;
  inputFile: string;
  raw: string;
  expected: ExpectedCase;
}

/** One conversation per case, in the file format it arrived in; the parser decides how to read it. */
export const INPUT_NAMES = ['input.txt', 'input.eml', 'input.json', 'input.vtt', 'input.srt'];

/**
 * The split is fixed by the folder a case sits in, never by a list or a random draw: `dev` holds the
 * cases the extractor was tuned on, `test` the held-out ones that are only looked at to report.
 */
export const HALVES = ['dev', 'test'] as const;
export type HalfName = (typeof HALVES)[number];

export interface CaseSet {
  /** `dev` or `test` for a split folder; the folder's own name for a flat one. */
  name: string;
  /** Whether `--check` applies the targets: the dev half and a flat folder are gated, the test half is not. */
  gated: boolean;
  dir: string;
  cases: EvalCase[];
}

const isDirectory = (dir: string) =>
  stat(dir).then(
    (s) => s.isDirectory(),
    () => false,
  );

/**
 * The case sets under `dir`: its `dev` and `test` halves when it has them, otherwise the folder itself
 * as one set (a held-out set kept elsewhere). A case found in both halves, by folder name or by its very
 * input, stops the run: the test half would no longer be held out.
 */
export async function loadCaseSets(dir: string): Promise<CaseSet[]> {
  const halves: CaseSet[] = [];
  for (const half of HALVES) {
    const halfDir = path.join(dir, half);
    if (await isDirectory(halfDir)) {
      halves.push({ name: half, gated: half === 'dev', dir: halfDir, cases: await loadCases(halfDir) });
    }
  }
  if (halves.length === 0) {
    return [{ name: path.basename(dir), gated: true, dir, cases: await loadCases(dir) }];
  }
  assertDisjoint(halves);
  return halves;
}

function assertDisjoint(sets: CaseSet[]): void {
  const seen = new Map<string, string>();
  for (const set of sets) {
    for (const c of set.cases) {
      const slug = c.id.replace(/^\d+-/, '');
      for (const key of [`slug:${slug}`, `input:${c.raw.trim()}`]) {
        const other = seen.get(key);
        if (other && !other.startsWith(`${set.name}/`)) {
          throw new Error(`${set.name}/${c.id} repeats ${other}: a case belongs to one half only`);
        }
        seen.set(key, `${set.name}/${c.id}`);
      }
    }
  }
}

/** Every case folder under `dir`, in name order; a malformed label stops the run and names the file. */
export async function loadCases(dir: string): Promise<EvalCase[]> {
  const entries = await readdir(dir, { withFileTypes: true }).catch((error: Error) => {
    throw new Error(`cannot read the evaluation cases in ${dir}: ${error.message}`);
  });
  const cases: EvalCase[] = [];
  for (const entry of entries.filter((e) => e.isDirectory()).sort((a, b) => a.name.localeCompare(b.name))) {
    const folder = path.join(dir, entry.name);
    const files = await readdir(folder);
    const inputs = INPUT_NAMES.filter((name) => files.includes(name));
    if (inputs.length !== 1) {
      throw new Error(`${folder}: expected exactly one of ${INPUT_NAMES.join(', ')}, found ${inputs.length}`);
    }
    const expectedFile = path.join(folder, 'expected.json');
    let json: unknown;
    try {
      json = JSON.parse(await readFile(expectedFile, 'utf8'));
    } catch (error) {
      throw new Error(`${expectedFile}: ${(error as Error).message}`);
    }
    const parsed = ExpectedCaseSchema.safeParse(json);
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      throw new Error(`${expectedFile}: ${issue.path.join('.') || 'file'}: ${issue.message}`);
    }
    const inputFile = path.join(folder, inputs[0]!);
    cases.push({ id: entry.name, inputFile, raw: await readFile(inputFile, 'utf8'), expected: parsed.data });
  }
  return cases;
}
