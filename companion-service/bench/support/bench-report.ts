/**
 * What `npm run bench` knows about a benchmark (how to run it small and at the issues' sizes, which
 * printed figures matter, which goals they meet) and how a run becomes `bench/results.md`. Pure:
 * the runner (bench/run-all.ts) starts the processes and writes the file.
 */

export type Mode = 'short' | 'full';

export interface ModeRun {
  /** What this mode runs, for the reader: "10,000 opportunities". */
  size: string;
  env?: Record<string, string>;
  args?: string[];
}

/** A figure read from the bench's output; the first capture group (or all of them, joined) is shown. */
export interface FigureSpec {
  label: string;
  pattern: RegExp;
  show?: (match: RegExpMatchArray) => string;
  /** Printed only by the full run (a size the short run does not reach). */
  fullOnly?: boolean;
}

export interface GoalSpec {
  /** The goal in the issue's words: "hygiene + risk + actions on 100,000 opportunities". */
  goal: string;
  source: string;
  /** The number the goal is about, read from the output; null when the output does not have it. */
  measure: (output: string) => number | null;
  unit: string;
  compare: '<' | '<=' | '>=';
  target: number;
  /** The goal is stated at a size only the full run reaches: a short run shows the figure, unjudged. */
  fullOnly?: boolean;
  /**
   * For a `fullOnly` goal whose figure only the full size prints (`measure` finds nothing in a short
   * run): the same figure at the largest size the short run reached, and that size, shown unjudged.
   */
  atShortSize?: (output: string) => { value: number; size: string } | null;
  /** Why the figure may be absent, shown when it is. */
  whenAbsent?: string;
}

export interface BenchSpec {
  name: string;
  /** The file under companion-service/bench. */
  script: string;
  nodeArgs?: string[];
  what: string;
  modes: Record<Mode, ModeRun>;
  figures: FigureSpec[];
  goals: GoalSpec[];
}

export interface BenchRun {
  bench: BenchSpec;
  mode: Mode;
  output: string;
  /** Exit code; null with a signal or a time-out. */
  exitCode: number | null;
  problem: string | null;
  seconds: number;
}

export type VerdictStatus = 'met' | 'missed' | 'not judged' | 'not measured' | 'failed';

export interface Verdict {
  bench: string;
  goal: string;
  source: string;
  measured: string;
  target: string;
  status: VerdictStatus;
  note: string;
}

export interface Machine {
  cpu: string;
  cores: number;
  memoryGiB: number;
  freeMemoryGiB: number;
  os: string;
  node: string;
  loadAtStart: number[];
  loadAtEnd: number[];
}

export interface ResultsContext {
  mode: Mode;
  command: string;
  startedAt: Date;
  finishedAt: Date;
  commit: string | null;
  machine: Machine;
  runs: BenchRun[];
  /** Bench files in the folder that the table does not list, so nobody thinks they ran. */
  unlisted: string[];
}

/** The first number the pattern captures (thousands separators allowed), or null. */
export function firstNumber(output: string, pattern: RegExp): number | null {
  const match = pattern.exec(output);
  return match?.[1] === undefined ? null : parseNumber(match[1]);
}

/** Every number the pattern captures across the output (the pattern needs the g flag). */
export function allNumbers(output: string, pattern: RegExp): number[] {
  if (!pattern.global) throw new Error(`allNumbers needs a global pattern: ${pattern}`);
  return [...output.matchAll(pattern)]
    .map((m) => (m[1] === undefined ? null : parseNumber(m[1])))
    .filter((n): n is number => n !== null);
}

export function parseNumber(text: string): number | null {
  const n = Number(text.replace(/,/g, ''));
  return Number.isFinite(n) ? n : null;
}

export function succeeded(run: BenchRun): boolean {
  return run.exitCode === 0 && run.problem === null;
}

export function readFigures(run: BenchRun): { label: string; value: string }[] {
  return run.bench.figures
    .filter((figure) => !(figure.fullOnly && run.mode === 'short'))
    .map(({ label, pattern, show }) => {
      const match = run.output.match(pattern);
      const value = !match ? 'not in the output' : show ? show(match) : match.slice(1).join(' / ');
      return { label, value: value.replace(/\s+/g, ' ').trim() };
    });
}

const number = (n: number) => n.toLocaleString('en-US', { maximumFractionDigits: 2 });

function holds(value: number, compare: GoalSpec['compare'], target: number): boolean {
  if (compare === '<') return value < target;
  if (compare === '<=') return value <= target;
  return value >= target;
}

export function judge(run: BenchRun): Verdict[] {
  return run.bench.goals.map((goal) => {
    const base = {
      bench: run.bench.name,
      goal: goal.goal,
      source: goal.source,
      target: `${goal.compare} ${number(goal.target)} ${goal.unit}`.trim(),
    };
    const value = goal.measure(run.output);
    const measured = value === null ? '—' : `${number(value)} ${goal.unit}`.trim();
    if (!succeeded(run)) {
      return { ...base, measured, status: 'failed' as const, note: run.problem ?? `exit ${run.exitCode}` };
    }
    if (value === null && goal.fullOnly && run.mode === 'short') {
      // The short run stops below the goal's size: say so, not that the bench failed to print it.
      const nearest = goal.atShortSize?.(run.output) ?? null;
      return {
        ...base,
        measured: nearest ? `${number(nearest.value)} ${goal.unit}`.trim() : '—',
        status: 'not judged' as const,
        note:
          `short run (${run.bench.modes.short.size})` +
          (nearest ? `; the figure shown is at ${nearest.size}` : '') +
          `; the goal is for the full size (${run.bench.modes.full.size})`,
      };
    }
    if (value === null) {
      return {
        ...base,
        measured,
        status: 'not measured' as const,
        note: goal.whenAbsent ?? 'the bench printed no such figure',
      };
    }
    if (goal.fullOnly && run.mode === 'short') {
      return {
        ...base,
        measured,
        status: 'not judged' as const,
        note: `short run (${run.bench.modes.short.size}); the goal is for the full size (${run.bench.modes.full.size})`,
      };
    }
    return {
      ...base,
      measured,
      status: holds(value, goal.compare, goal.target) ? ('met' as const) : ('missed' as const),
      note: '',
    };
  });
}

const cell = (text: string) => text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
const row = (cells: string[]) => `| ${cells.map(cell).join(' | ')} |`;

function table(headers: string[], rows: string[][]): string[] {
  return [row(headers), row(headers.map(() => '---')), ...rows.map(row)];
}

/** A fence longer than any run of backticks in the text, so raw output cannot close it. */
function fenced(text: string): string[] {
  const longest = Math.max(2, ...[...text.matchAll(/`+/g)].map((m) => m[0].length));
  const fence = '`'.repeat(longest + 1);
  return [`${fence}text`, text.replace(/\s+$/, ''), fence];
}

const load = (l: number[]) => l.map((x) => x.toFixed(2)).join(' / ');

export function formatResults(context: ResultsContext): string {
  const { machine, runs } = context;
  const verdicts = runs.flatMap(judge);
  const count = (status: VerdictStatus) => verdicts.filter((v) => v.status === status).length;
  const failed = runs.filter((r) => !succeeded(r));
  const minutes = (context.finishedAt.getTime() - context.startedAt.getTime()) / 60_000;
  const lines = [
    '# Benchmark results',
    '',
    `Written by \`${context.command}\` (${context.mode} mode) on ${context.startedAt.toISOString().replace(/\.\d+Z$/, 'Z')}` +
      `${context.commit ? ` at commit \`${context.commit}\`` : ''}, ${minutes.toFixed(1)} minutes in all. ` +
      'Run it again with the same command; `npm run bench -- --full` runs the sizes the issues name.',
    '',
    '## Machine',
    '',
    `- CPU: ${machine.cpu}, ${machine.cores} cores`,
    `- Memory: ${machine.memoryGiB.toFixed(1)} GiB (${machine.freeMemoryGiB.toFixed(1)} GiB free at start)`,
    `- OS: ${machine.os}; Node ${machine.node}`,
    `- Load average (1 / 5 / 15 min): ${load(machine.loadAtStart)} at start, ${load(machine.loadAtEnd)} at the end, on ${machine.cores} cores`,
    '',
    machine.loadAtStart[0]! > machine.cores
      ? `**This machine is shared**: other work kept it busy during the run (a load of ${machine.loadAtStart[0]!.toFixed(1)} on ${machine.cores} cores at the start), ` +
        'so wall-clock figures and rates are lower than on a quiet machine; CPU-time figures are the steadier ones.'
      : `This machine is shared with other work; the load at the start was ${machine.loadAtStart[0]!.toFixed(1)} on ${machine.cores} cores.`,
    '',
    '## Goals',
    '',
    `${count('met')} met, ${count('missed')} missed, ${count('not judged')} not judged at this size, ` +
      `${count('not measured')} not measured, ${count('failed')} in a failed bench.`,
    '',
    ...table(
      ['bench', 'goal', 'source', 'target', 'measured', 'verdict', 'note'],
      verdicts.map((v) => [v.bench, v.goal, v.source, v.target, v.measured, v.status, v.note]),
    ),
    '',
    '## Benches',
    '',
    ...table(
      ['bench', 'what', 'size', 'status', 'seconds'],
      runs.map((r) => [
        r.bench.name,
        r.bench.what,
        r.bench.modes[r.mode].size,
        succeeded(r) ? 'ran' : `FAILED: ${r.problem ?? `exit ${r.exitCode}`}`,
        r.seconds.toFixed(0),
      ]),
    ),
    '',
  ];
  if (failed.length > 0)
    lines.push(`Failed: ${failed.map((r) => r.bench.name).join(', ')}; the raw output below shows why.`, '');
  if (context.unlisted.length > 0)
    lines.push(
      `Not run (bench files the table in companion-service/bench/benches.ts does not list): ${context.unlisted.join(', ')}.`,
      '',
    );
  for (const run of runs) {
    const spec = run.bench;
    const env = Object.entries(spec.modes[run.mode].env ?? {}).map(([k, v]) => `${k}=${v} `);
    const args = spec.modes[run.mode].args ?? [];
    lines.push(
      `### ${spec.name}`,
      '',
      `\`${env.join('')}node ${[...(spec.nodeArgs ?? []), '--import', 'tsx', `bench/${spec.script}`, ...args].join(' ')}\` ` +
        `(in companion-service): ${spec.modes[run.mode].size}; ${succeeded(run) ? 'ran' : 'FAILED'} in ${run.seconds.toFixed(0)} s.`,
      '',
      ...readFigures(run).map((f) => `- ${f.label}: ${f.value}`),
      '',
      '<details><summary>raw output</summary>',
      '',
      ...fenced(run.output || '(nothing printed)'),
      '',
      '</details>',
      '',
    );
  }
  return lines.join('\n');
}

export interface RunnerOptions {
  mode: Mode;
  only: string[] | null;
  out: string | null;
}

/** `--short` (the default) or `--full`, `--only a,b`, `--out file`; a lone `--` (npm's) is ignored. */
export function parseArgs(argv: string[], known: string[]): RunnerOptions {
  const options: RunnerOptions = { mode: 'short', only: null, out: null };
  const modes = new Set<Mode>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const value = () => {
      const next = argv[++i];
      if (next === undefined || next.startsWith('--')) throw new Error(`${arg} needs a value`);
      return next;
    };
    if (arg === '--') continue;
    else if (arg === '--short' || arg === '--full') modes.add(arg === '--short' ? 'short' : 'full');
    else if (arg === '--only') {
      options.only = value()
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean);
      const unknown = options.only.filter((name) => !known.includes(name));
      if (unknown.length > 0)
        throw new Error(`--only: no bench named ${unknown.join(', ')}; the benches are ${known.join(', ')}`);
    } else if (arg === '--out') options.out = value();
    else throw new Error(`unknown argument ${arg}; use --short or --full, --only a,b, --out file`);
  }
  if (modes.size > 1) throw new Error('choose one of --short and --full');
  options.mode = [...modes][0] ?? 'short';
  return options;
}
