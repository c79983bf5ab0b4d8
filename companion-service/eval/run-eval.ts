import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { loadPackageRules } from '../src/adapters/metadata/package-metadata.js';
import type { Extractor } from '../src/domain/extraction/extractor.js';
import type { Insights } from '../src/domain/insights/schema.js';
import type { OrgRules } from '../src/domain/org-rules.js';
import { createExtractor, type ExtractorKind } from '../src/services/choose-extractor.js';
import { extractConversation, readInput } from '../src/services/extract-conversation.js';
import { loadCaseSets, type CaseSet, type EvalCase } from './cases.js';
import { checkEvidence } from './metrics.js';
import {
  renderCaseLines,
  renderContactDetails,
  renderFigures,
  renderRealLines,
  renderTargets,
  targetMet,
  targetsOf,
  type CaseLine,
  type RealLine,
  renderFacts,
} from './report.js';
import { describeFailures, scoreCase, totalsOf } from './score-case.js';

/**
 * `npm run eval:extract`: runs the public pipeline over the labelled cases in eval/cases, prints
 * per-field figures against the targets for the dev half and for the held-out test half, then runs
 * over the real meetings in ../shared/data/transcripts to show what it finds there and that it does
 * not crash.
 *
 *   --extractor embedded|llm   which extractor (default embedded)
 *   --verbose                  print what each dev case expected and what it got
 *   --show-test-failures       also print the test half's cases and failures (for the report, not for tuning)
 *   --case <text>              only the cases whose folder name contains <text>
 *   --cases <dir>              read the cases from <dir> instead of eval/cases: its dev/ and test/
 *                              halves, or the folder itself as one set (a held-out set kept elsewhere)
 *   --check                    exit 1 when a dev target is missed or a case fails to run; the test
 *                              half is reported, never gated, so that nobody tunes on it
 *   --no-real                  skip the real transcripts
 */

const here = path.dirname(fileURLToPath(import.meta.url));
const DEFAULT_CASES_DIR = path.join(here, 'cases');
/** The repository's sibling folder: <repo>/../shared/data/transcripts. */
const REAL_DIR = process.env.SCRIBE_TRANSCRIPTS_DIR ?? path.resolve(here, '../../../shared/data/transcripts');
const REAL_FOLDERS = ['ami', 'gong-gecko-demo'];

interface Options {
  extractor: ExtractorKind;
  verbose: boolean;
  showTestFailures: boolean;
  check: boolean;
  only: string | null;
  casesDir: string;
  real: boolean;
}

function readOptions(argv: string[]): Options {
  const { values } = parseArgs({
    args: argv,
    options: {
      extractor: { type: 'string', default: 'embedded' },
      verbose: { type: 'boolean', default: false },
      'show-test-failures': { type: 'boolean', default: false },
      check: { type: 'boolean', default: false },
      case: { type: 'string' },
      cases: { type: 'string' },
      'no-real': { type: 'boolean', default: false },
    },
  });
  if (values.extractor !== 'embedded' && values.extractor !== 'llm') {
    throw new Error(`--extractor "${values.extractor}" is not known; use embedded or llm`);
  }
  return {
    extractor: values.extractor,
    verbose: values.verbose,
    showTestFailures: values['show-test-failures'],
    check: values.check,
    only: values.case ?? null,
    casesDir: values.cases ? path.resolve(values.cases) : DEFAULT_CASES_DIR,
    real: !values['no-real'],
  };
}

const message = (error: unknown) => (error instanceof Error ? error.message : String(error));

async function runCase(c: EvalCase, rules: OrgRules, extractor: Extractor): Promise<CaseLine> {
  let text = '';
  let format = '?';
  let output: Insights | null = null;
  let error: string | null = null;
  const started = performance.now();
  try {
    // The quotes point into the text the extractor read (a MIME message decoded, captions as turns).
    const { conversation } = await readInput(c.raw);
    text = conversation.text;
    format = conversation.format;
    output = await extractConversation({
      raw: c.raw,
      meetingDate: c.expected.meetingDate,
      currentStage: c.expected.currentStage,
      today: c.expected.meetingDate,
      rules,
      extractor,
    });
  } catch (e) {
    error = message(e);
  }
  const ms = performance.now() - started;
  return { id: c.id, format, ms, error, score: scoreCase(c.expected, output, text) };
}

async function evaluateLabelled(options: Options, rules: OrgRules, extractor: Extractor): Promise<boolean> {
  const sets = (await loadCaseSets(options.casesDir))
    .map((set) => ({
      ...set,
      cases: options.only ? set.cases.filter((c) => c.id.includes(options.only!)) : set.cases,
    }))
    .filter((set) => set.cases.length > 0);
  if (sets.length === 0)
    throw new Error(`no case folder under ${options.casesDir} matches --case "${options.only}"`);

  // One untimed run first, so the first case's milliseconds are not the module warm-up.
  await runCase(sets[0]!.cases[0]!, rules, extractor);
  let ok = true;
  for (const set of sets) {
    const setOk = await evaluateSet(set, options, rules, extractor);
    if (set.gated) ok &&= setOk;
  }
  return ok;
}

async function evaluateSet(
  set: CaseSet,
  options: Options,
  rules: OrgRules,
  extractor: Extractor,
): Promise<boolean> {
  const lines: CaseLine[] = [];
  for (const c of set.cases) lines.push(await runCase(c, rules, extractor));
  const totals = totalsOf(lines.map((l) => l.score));
  const targets = targetsOf(totals);
  // The held-out half shows only its figures unless asked: per-case detail is what one tunes on.
  const detailed = set.gated || options.showTestFailures;

  const where = path.relative(process.cwd(), set.dir) || '.';
  const role = set.gated ? 'gated by --check' : 'held out: reported, not gated';
  console.log(`\n=== ${set.name}: ${set.cases.length} labelled cases in ${where} (${role})\n`);
  if (detailed) console.log(renderCaseLines(lines));
  else console.log(`  per-case lines hidden for the held-out half (--show-test-failures shows them)`);
  // How the parser read each input file, summed: a new format read as plain text shows up here.
  console.log(`\n  read as: ${formatCounts(set.cases, lines)}`);
  console.log(`\n${renderFigures(totals)}`);
  console.log(`\n${renderContactDetails(totals)}`);
  console.log(`\n${renderFacts(totals.facts)}`);
  console.log(`\nTargets for the embedded extractor (${set.name}):\n${renderTargets(targets)}`);

  // A crash is never hidden: it is a defect in the pipeline, not a hint about a label.
  const errors = lines.filter((l) => l.error);
  for (const l of errors) console.log(`\nERROR in ${set.name}/${l.id}: ${l.error}`);
  if (options.verbose && detailed) {
    console.log(`\nPer-case failures in ${set.name} (expected vs produced):`);
    for (const l of lines) {
      const failures = describeFailures(l.score);
      if (failures.length === 0) continue;
      console.log(`\n${l.id} (${l.format})`);
      for (const f of failures) console.log(`  - ${f}`);
    }
  }
  return errors.length === 0 && targets.every(targetMet);
}

function formatCounts(cases: EvalCase[], lines: CaseLine[]): string {
  const counts = new Map<string, number>();
  cases.forEach((c, i) => {
    const key = `${path.extname(c.inputFile).slice(1)} -> ${lines[i]!.format}`;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  });
  return [...counts.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([key, n]) => `${key} ${n}`)
    .join(', ');
}

async function listRealFiles(): Promise<string[]> {
  const files: string[] = [];
  for (const folder of REAL_FOLDERS) {
    const dir = path.join(REAL_DIR, folder);
    const names = await readdir(dir).catch(() => [] as string[]);
    for (const name of names.sort()) {
      if (name.endsWith('.txt') || name.endsWith('.json')) files.push(path.join(dir, name));
    }
  }
  return files;
}

async function runReal(
  file: string,
  rules: OrgRules,
  extractor: Extractor,
  today: string,
): Promise<RealLine> {
  const line: RealLine = {
    file: path.relative(REAL_DIR, file),
    format: '?',
    words: 0,
    ms: 0,
    stakeholders: 0,
    competitors: 0,
    nextSteps: 0,
    budget: '-',
    stage: '-',
    evidence: { correct: 0, total: 0 },
    error: null,
  };
  try {
    const raw = await readFile(file, 'utf8');
    const { conversation } = await readInput(raw);
    line.format = conversation.format;
    line.words = conversation.text.split(/\s+/).filter(Boolean).length;
    const started = performance.now();
    const output = await extractConversation({ raw, today, rules, extractor });
    line.ms = performance.now() - started;
    line.stakeholders = output.stakeholders.length;
    line.competitors = output.competitors.length;
    line.nextSteps = output.nextSteps.length;
    line.budget = output.budget ? `${output.budget.amount} ${output.budget.currency}` : '-';
    line.stage = output.stageSuggestion
      ? `${output.stageSuggestion.direction} -> ${output.stageSuggestion.to ?? 'none'}`
      : '-';
    const { correct, total } = checkEvidence(conversation.text, output);
    line.evidence = { correct, total };
  } catch (e) {
    line.error = message(e);
  }
  return line;
}

async function evaluateReal(rules: OrgRules, extractor: Extractor): Promise<boolean> {
  const files = await listRealFiles();
  console.log(
    `\nReal meetings: ${files.length} files in ${REAL_DIR} (no labels; counts of what was found)\n`,
  );
  if (files.length === 0) {
    console.log('  none found; set SCRIBE_TRANSCRIPTS_DIR to the shared transcripts folder');
    return true;
  }
  const today = new Date().toISOString().slice(0, 10);
  const lines: RealLine[] = [];
  for (const file of files) lines.push(await runReal(file, rules, extractor, today));
  console.log(renderRealLines(lines));
  const evidence = lines.reduce(
    (sum, l) => ({ correct: sum.correct + l.evidence.correct, total: sum.total + l.evidence.total }),
    { correct: 0, total: 0 },
  );
  const failed = lines.filter((l) => l.error).length;
  const rate = evidence.total === 0 ? 'n/a' : ((100 * evidence.correct) / evidence.total).toFixed(1) + '%';
  console.log(
    `\n  ${lines.length - failed}/${lines.length} files ran; verbatim evidence ${evidence.correct}/${evidence.total} (${rate})`,
  );
  return failed === 0 && evidence.correct === evidence.total;
}

async function main(): Promise<number> {
  const options = readOptions(process.argv.slice(2));
  const rules = await loadPackageRules();
  const extractor = createExtractor(options.extractor, process.env);
  console.log(`Extraction evaluation with the ${extractor.name} extractor ${extractor.version}`);
  const labelledOk = await evaluateLabelled(options, rules, extractor);
  const realOk = options.real ? await evaluateReal(rules, extractor) : true;
  if (!options.check) return 0;
  if (!labelledOk || !realOk) {
    console.log('\n--check: a dev target was missed or a conversation failed to run');
    return 1;
  }
  return 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(`eval:extract: ${message(error)}`);
    process.exit(2);
  },
);
