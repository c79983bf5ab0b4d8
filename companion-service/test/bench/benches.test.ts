import { readFileSync, readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { BENCHES } from '../../bench/benches.js';
import { judge, readFigures, type BenchRun } from '../../bench/support/bench-report.js';

/**
 * Each bench's figures and goals are read from what it prints; the fixtures are the output of
 * `npm run bench -- --short` as the benches print it today. A bench that changes what it prints
 * fails here until its patterns in bench/benches.ts follow.
 */

const fixture = (name: string) =>
  readFileSync(new URL(`fixtures/${name}.short.txt`, import.meta.url), 'utf8');
const run = (name: string, output = fixture(name), mode: 'short' | 'full' = 'short'): BenchRun => ({
  bench: BENCHES.find((b) => b.name === name)!,
  mode,
  output,
  exitCode: 0,
  problem: null,
  seconds: 1,
});

describe('the table of benches', () => {
  it('names each bench once, and each runs a file that exists', () => {
    const files = readdirSync(new URL('../../bench/', import.meta.url));
    expect(new Set(BENCHES.map((b) => b.name)).size).toBe(BENCHES.length);
    for (const bench of BENCHES) expect(files, bench.name).toContain(bench.script);
  });

  it.each(BENCHES.map((b) => b.name))('reads every figure %s prints', (name) => {
    const missing = readFigures(run(name))
      .filter((f) => f.value === 'not in the output')
      .map((f) => f.label);
    expect(missing).toEqual([]);
  });

  it.each(BENCHES.map((b) => b.name))('measures every goal of %s it prints a figure for', (name) => {
    const unmeasured = judge(run(name)).filter((v) => v.status === 'not measured');
    expect(unmeasured.map((v) => v.goal)).toEqual([]);
  });
});

describe('figures as the benches print them', () => {
  it('takes the CPU column of the pipeline stages and its peak memory', () => {
    const verdicts = judge(run('pipeline', fixture('pipeline'), 'full'));
    expect(verdicts.map((v) => [v.measured, v.status])).toEqual([
      ['686 ms', 'met'],
      ['1,878 ms', 'met'],
      ['265 MB', 'met'],
    ]);
  });

  it('counts reads and writes of the 100,000-deal scan', () => {
    const line =
      '100000 deals | first scan: 12 reads + 30 writes (records/calls: Opportunity 60000/6), 90000 ms | re-scan: 12 reads + 0 writes, 8000 ms';
    const [scan] = judge(run('pipeline-scan', `${fixture('pipeline-scan')}${line}\n`, 'full'));
    expect([scan!.measured, scan!.status]).toEqual(['42 calls', 'met']);
  });

  it('shows the largest short-run scan unjudged, and judges only the 100,000-deal scan in a full run', () => {
    const [short] = judge(run('pipeline-scan'));
    // 24 reads + 20 writes at 10,000 deals in the fixture.
    expect([short!.measured, short!.status]).toEqual(['44 calls', 'not judged']);
    expect(short!.note).toContain('the figure shown is at 10,000 deals');
    const [fullWithout100k] = judge(run('pipeline-scan', fixture('pipeline-scan'), 'full'));
    expect([fullWithout100k!.measured, fullWithout100k!.status]).toEqual(['—', 'not measured']);
  });

  it('compares the synchronous path with the durable one, 8 at once each, from the same run', () => {
    const ratio = (output: string) => {
      const verdict = judge(run('writeback', output)).find((v) => v.goal.startsWith('synchronous'))!;
      return [verdict.measured, verdict.status];
    };
    // 5.1 ÷ 6.5 conversations/s, as the bench divides them unrounded.
    expect(ratio(fixture('writeback'))).toEqual(['0.79 ×', 'met']);
    const slower = fixture('writeback').replace(/(same run: )0\.79/, '$12.27');
    expect(ratio(slower)).toEqual(['2.27 ×', 'missed']);
    const older = fixture('writeback').replace(/^synchronous path ÷ durable path.*\n/m, '');
    expect(ratio(older)).toEqual(['—', 'not measured']);
  });

  it('reads the p99 of the fixed-rate ingest run, not of the others', () => {
    const p99 = judge(run('ingest')).find((v) => v.goal.startsWith('p99'))!;
    expect(p99.measured).toBe('5,850.6 ms');
  });

  it('does not count a forecast that was not measured as everything measured', () => {
    const output = fixture('pipeline').replace(
      /^forecast \(model.*\n/m,
      'forecast: not measured, src/domain/forecast/forecast-pipeline.ts is not there yet\n',
    );
    const everything = judge(run('pipeline', output, 'full'))[1]!;
    expect(everything.status).toBe('not measured');
  });
});
