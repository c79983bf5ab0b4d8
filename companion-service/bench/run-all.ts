/**
 * `npm run bench -- --short` (the default: a few minutes on 2 cores) or `npm run bench -- --full` (the
 * sizes the issues name): runs every bench of bench/benches.ts as a process of its own, one after
 * the other so they do not share the machine with each other, shows their output as it comes, and
 * writes bench/results.md at the repository's root: date, machine and load, each goal met or missed,
 * the raw output. A bench that fails is reported as failed and the others still run; the exit code
 * is non-zero only when the runner itself cannot run or write the results, not for a missed goal.
 *
 *   npm run bench -- --short --only pipeline,extract --out /tmp/results.md
 */
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { BENCHES } from './benches.js';
import {
  formatResults,
  parseArgs,
  type BenchRun,
  type BenchSpec,
  type Mode,
} from './support/bench-report.js';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const SERVICE = path.resolve(HERE, '..');
const ROOT = path.resolve(SERVICE, '..');
const TIMEOUT_MINUTES: Record<Mode, number> = { short: 10, full: 120 };

let current: ChildProcess | null = null;
let interrupted = false;

/** Ends a bench's whole process group: TERM first so Postgres shuts down cleanly, KILL if it lingers. */
function stop(child: ChildProcess): void {
  const signal = (name: NodeJS.Signals) => {
    try {
      process.kill(-child.pid!, name);
    } catch {
      child.kill(name);
    }
  };
  signal('SIGTERM');
  setTimeout(() => child.exitCode === null && child.signalCode === null && signal('SIGKILL'), 5_000).unref();
}

// The benches run in process groups of their own, out of reach of the terminal's Ctrl-C: pass it on.
for (const name of ['SIGINT', 'SIGTERM'] as const)
  process.on(name, () => {
    interrupted = true;
    if (current) stop(current);
  });

function runBench(bench: BenchSpec, mode: Mode): Promise<BenchRun> {
  const run = bench.modes[mode];
  const args = [
    ...(bench.nodeArgs ?? []),
    '--import',
    'tsx',
    path.join('bench', bench.script),
    ...(run.args ?? []),
  ];
  const started = performance.now();
  return new Promise((resolve) => {
    // A process group of its own, so a time-out also ends what the bench started (a service, Postgres).
    const child = spawn(process.execPath, args, {
      cwd: SERVICE,
      env: { ...process.env, ...run.env },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    current = child;
    let output = '';
    const take = (chunk: Buffer, to: NodeJS.WriteStream) => {
      output += chunk.toString();
      to.write(chunk);
    };
    child.stdout.on('data', (chunk: Buffer) => take(chunk, process.stdout));
    child.stderr.on('data', (chunk: Buffer) => take(chunk, process.stderr));
    let problem: string | null = null;
    const timer = setTimeout(() => {
      problem = `stopped after ${TIMEOUT_MINUTES[mode]} minutes`;
      stop(child);
    }, TIMEOUT_MINUTES[mode] * 60_000);
    const finish = (exitCode: number | null, why: string | null) => {
      clearTimeout(timer);
      current = null;
      resolve({
        bench,
        mode,
        output,
        exitCode,
        problem: problem ?? why,
        seconds: (performance.now() - started) / 1000,
      });
    };
    child.on('error', (error) => finish(null, `could not start: ${error.message}`));
    child.on('close', (code, signal) =>
      finish(code, signal ? `ended by ${signal}` : code === 0 ? null : `exit ${code}`),
    );
  });
}

function commit(): string | null {
  try {
    const sha = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: ROOT, encoding: 'utf8' }).trim();
    const dirty = execFileSync('git', ['status', '--porcelain', '--untracked-files=no'], {
      cwd: ROOT,
      encoding: 'utf8',
    }).trim();
    return dirty ? `${sha} with uncommitted changes` : sha;
  } catch {
    return null;
  }
}

const options = parseArgs(
  process.argv.slice(2),
  BENCHES.map((b) => b.name),
);
const chosen = options.only ? BENCHES.filter((b) => options.only!.includes(b.name)) : BENCHES;
const listed = new Set(BENCHES.map((b) => b.script));
const unlisted = readdirSync(HERE).filter((f) => f.endsWith('.bench.ts') && !listed.has(f));
const startedAt = new Date();
const loadAtStart = os.loadavg();
const gib = (bytes: number) => bytes / 2 ** 30;
const machine = {
  cpu: os.cpus()[0]?.model.trim() ?? 'unknown',
  cores: os.availableParallelism(),
  memoryGiB: gib(os.totalmem()),
  freeMemoryGiB: gib(os.freemem()),
  os: `${os.type()} ${os.release()} ${os.arch()}`,
  node: process.version,
  loadAtStart,
  loadAtEnd: loadAtStart,
};
const commitNow = commit();
console.log(
  `npm run bench, ${options.mode} mode: ${chosen.map((b) => b.name).join(', ')}; load average ${loadAtStart.map((l) => l.toFixed(2)).join(' ')} on ${machine.cores} cores`,
);

const runs: BenchRun[] = [];
for (const bench of chosen) {
  console.log(`\n=== ${bench.name} (${options.mode}: ${bench.modes[options.mode].size}) ===`);
  const run = await runBench(bench, options.mode);
  console.log(
    `=== ${bench.name}: ${run.problem ? `FAILED (${run.problem})` : 'done'} in ${run.seconds.toFixed(0)} s ===`,
  );
  runs.push(run);
  if (interrupted) {
    // A page from half a run would read as the figures of a whole one.
    console.error('\ninterrupted: no results written');
    process.exit(130);
  }
}

const argsShown = process.argv
  .slice(2)
  .filter((a) => a !== '--')
  .join(' ');
const text = formatResults({
  mode: options.mode,
  command: `npm run bench -- ${argsShown || '--short'}`,
  startedAt,
  finishedAt: new Date(),
  commit: commitNow,
  machine: { ...machine, loadAtEnd: os.loadavg() },
  runs,
  unlisted,
});
// --out is relative to where npm was run (INIT_CWD), not to the workspace npm moves into.
const out = options.out
  ? path.resolve(process.env.INIT_CWD ?? process.cwd(), options.out)
  : path.join(ROOT, 'bench', 'results.md');
await mkdir(path.dirname(out), { recursive: true });
await writeFile(out, text);
const failed = runs.filter((r) => r.problem !== null);
console.log(
  `\nwrote ${out}${failed.length ? `; failed: ${failed.map((r) => r.bench.name).join(', ')}` : ''}`,
);
