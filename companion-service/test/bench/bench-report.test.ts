import { describe, expect, it } from 'vitest';
import {
  formatResults,
  judge,
  parseArgs,
  readFigures,
  type BenchRun,
  type BenchSpec,
  type ResultsContext,
} from '../../bench/support/bench-report.js';

const spec: BenchSpec = {
  name: 'pipeline',
  script: 'pipeline.bench.ts',
  what: 'hygiene over a generated org',
  modes: {
    short: { size: '10,000 opportunities', env: { BENCH_OPPORTUNITIES: '10000' } },
    full: { size: '100,000 opportunities', env: { BENCH_OPPORTUNITIES: '100000' } },
  },
  figures: [
    { label: 'hygiene, wall / CPU ms', pattern: /^hygiene\s+(\d+) ms\s+(\d+) ms/m },
    { label: 'absent', pattern: /^nothing like this (\d+)/m },
    { label: 'at 100,000', pattern: /^at 100,000: (\d+)/m, fullOnly: true },
  ],
  goals: [
    {
      goal: 'hygiene CPU on 100,000',
      source: 'issue 17',
      measure: (out) => {
        const m = /^hygiene\s+\d+ ms\s+(\d+) ms/m.exec(out);
        return m ? Number(m[1]) : null;
      },
      unit: 'ms',
      compare: '<',
      target: 1000,
      fullOnly: true,
    },
    {
      goal: 'memory',
      source: 'issue 17',
      measure: (out) => {
        const m = /peak ([\d,]+) MB/.exec(out);
        return m ? Number(m[1]!.replace(/,/g, '')) : null;
      },
      unit: 'MB',
      compare: '<',
      target: 500,
    },
  ],
};

const run = (output: string, over: Partial<BenchRun> = {}): BenchRun => ({
  bench: spec,
  mode: 'full',
  output,
  exitCode: 0,
  problem: null,
  seconds: 12.4,
  ...over,
});

const context = (runs: BenchRun[], load = [13.6, 12.46, 15.25]): ResultsContext => ({
  mode: 'short',
  command: 'npm run bench -- --short',
  startedAt: new Date('2026-12-07T06:40:00.123Z'),
  finishedAt: new Date('2026-12-07T06:44:30Z'),
  commit: 'abc1234',
  machine: {
    cpu: 'AMD EPYC 7B13',
    cores: 2,
    memoryGiB: 23.5,
    freeMemoryGiB: 8,
    os: 'Linux 6.1 x64',
    node: 'v22.23.3',
    loadAtStart: load,
    loadAtEnd: [11, 12, 14],
  },
  runs,
  unlisted: [],
});

describe('judging a bench against its goals', () => {
  it('meets and misses by the figure read from the output', () => {
    const verdicts = judge(run('hygiene   800 ms   950 ms\npeak 1,311 MB\n'));
    expect(verdicts.map((v) => [v.goal, v.measured, v.target, v.status])).toEqual([
      ['hygiene CPU on 100,000', '950 ms', '< 1,000 ms', 'met'],
      ['memory', '1,311 MB', '< 500 MB', 'missed'],
    ]);
  });

  it('shows but does not judge a goal stated at the full size when the run was short', () => {
    const [hygiene, memory] = judge(run('hygiene 80 ms 95 ms\npeak 120 MB', { mode: 'short' }));
    expect(hygiene).toMatchObject({ status: 'not judged', measured: '95 ms' });
    expect(hygiene!.note).toContain('100,000 opportunities');
    expect(memory!.status).toBe('met');
  });

  it('says a full-size goal is not judged in a short run that does not print its figure', () => {
    const [hygiene] = judge(run('peak 120 MB', { mode: 'short' }));
    expect(hygiene).toMatchObject({ status: 'not judged', measured: '—' });
    expect(hygiene!.note).toContain('the goal is for the full size (100,000 opportunities)');
  });

  it('says a goal was not measured when the output lacks its figure', () => {
    expect(judge(run('peak 120 MB')).map((v) => v.status)).toEqual(['not measured', 'met']);
  });

  it('reports every goal of a bench that failed as failed, with why', () => {
    const verdicts = judge(run('hygiene 800 ms 950 ms\n', { exitCode: 1, problem: 'exit 1' }));
    expect(verdicts.map((v) => [v.status, v.note])).toEqual([
      ['failed', 'exit 1'],
      ['failed', 'exit 1'],
    ]);
  });

  it('reads the figures, saying which ones the output lacks', () => {
    expect(readFigures(run('hygiene   800 ms   950 ms\nat 100,000: 7'))).toEqual([
      { label: 'hygiene, wall / CPU ms', value: '800 / 950' },
      { label: 'absent', value: 'not in the output' },
      { label: 'at 100,000', value: '7' },
    ]);
  });

  it('leaves out of a short run the figures only the full size prints', () => {
    expect(readFigures(run('hygiene 1 ms 2 ms', { mode: 'short' })).map((f) => f.label)).toEqual([
      'hygiene, wall / CPU ms',
      'absent',
    ]);
  });
});

describe('bench/results.md', () => {
  it('gives the date, the command, the machine and its load, and says a busy machine is shared', () => {
    const text = formatResults(context([run('hygiene 800 ms 950 ms\npeak 120 MB')]));
    expect(text).toContain(
      '`npm run bench -- --short` (short mode) on 2026-12-07T06:40:00Z at commit `abc1234`',
    );
    expect(text).toContain('- CPU: AMD EPYC 7B13, 2 cores');
    expect(text).toContain('- Memory: 23.5 GiB');
    expect(text).toContain('Node v22.23.3');
    expect(text).toContain('13.60 / 12.46 / 15.25 at start, 11.00 / 12.00 / 14.00 at the end, on 2 cores');
    expect(text).toMatch(/\*\*This machine is shared\*\*[^\n]*load of 13\.6 on 2 cores/);
  });

  it('tabulates each goal with its verdict and keeps the raw output in a collapsed section', () => {
    const text = formatResults(context([run('hygiene 800 ms 950 ms\npeak 1,311 MB')]));
    expect(text).toContain(
      '1 met, 1 missed, 0 not judged at this size, 0 not measured, 0 in a failed bench.',
    );
    expect(text).toContain('| pipeline | memory | issue 17 | < 500 MB | 1,311 MB | missed |  |');
    expect(text).toMatch(
      /<details><summary>raw output<\/summary>\n\n```text\nhygiene 800 ms 950 ms\npeak 1,311 MB\n```\n\n<\/details>/,
    );
  });

  it('shows a failed bench as failed rather than leaving it out', () => {
    const text = formatResults(
      context([run('Error: connect ECONNREFUSED', { exitCode: 1, problem: 'exit 1', seconds: 3 })]),
    );
    expect(text).toContain(
      '| pipeline | hygiene over a generated org | 100,000 opportunities | FAILED: exit 1 | 3 |',
    );
    expect(text).toContain('Failed: pipeline; the raw output below shows why.');
    expect(text).toContain('Error: connect ECONNREFUSED');
  });

  it('keeps raw output that holds backticks or pipes from breaking the page', () => {
    const text = formatResults(context([run('a ``` fence | and a pipe\n')]));
    expect(text).toContain('````text\na ``` fence | and a pipe\n````');
  });

  it('names bench files the table does not list', () => {
    const text = formatResults({ ...context([]), unlisted: ['workers.bench.ts'] });
    expect(text).toContain(
      'Not run (bench files the table in companion-service/bench/benches.ts does not list): workers.bench.ts.',
    );
  });

  it('does not call a quiet machine busy', () => {
    expect(formatResults(context([], [0.5, 0.4, 0.3]))).not.toContain('**This machine is shared**');
  });
});

describe('the runner’s arguments', () => {
  const known = ['pipeline', 'extract'];
  it('runs short by default and takes npm’s lone --', () => {
    expect(parseArgs(['--'], known)).toEqual({ mode: 'short', only: null, out: null });
    expect(parseArgs(['--', '--full', '--only', 'pipeline,extract', '--out', 'r.md'], known)).toEqual({
      mode: 'full',
      only: ['pipeline', 'extract'],
      out: 'r.md',
    });
  });

  it('refuses what it cannot do, naming the fix', () => {
    expect(() => parseArgs(['--short', '--full'], known)).toThrow('choose one of --short and --full');
    expect(() => parseArgs(['--only', 'workers'], known)).toThrow(
      '--only: no bench named workers; the benches are pipeline, extract',
    );
    expect(() => parseArgs(['--out'], known)).toThrow('--out needs a value');
    expect(() => parseArgs(['--fast'], known)).toThrow('unknown argument --fast');
  });
});
