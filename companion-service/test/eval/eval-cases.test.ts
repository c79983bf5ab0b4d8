import { execFile } from 'node:child_process';
import { cp, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { HALVES, INPUT_NAMES, loadCaseSets } from '../../eval/cases.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const serviceDir = path.resolve(here, '../..');
const REPO_CASES = path.join(serviceDir, 'eval', 'cases');

const label = (overrides: Record<string, unknown> = {}) => ({
  description: 'a case for the loader',
  meetingDate: '2026-03-10',
  currentStage: null,
  competitors: [],
  stakeholders: [],
  budget: null,
  timeline: null,
  stage: { to: null, direction: 'none' },
  nextSteps: [],
  ...overrides,
});

async function writeCase(dir: string, input: string, raw: string, expected: object = label()) {
  await mkdir(dir, { recursive: true });
  await writeFile(path.join(dir, input), raw);
  await writeFile(path.join(dir, 'expected.json'), JSON.stringify(expected));
}

let root: string;
beforeEach(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'eval-cases-'));
});
afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('loading the halves', () => {
  it('reads dev and test from their folders; only dev is gated', async () => {
    await writeCase(path.join(root, 'dev', '01-notes-a'), 'input.txt', 'Call with Ana.');
    await writeCase(
      path.join(root, 'test', '02-vtt-b'),
      'input.vtt',
      'WEBVTT\n\n00:01.000 --> 00:02.000\nBo: hi\n',
    );
    await writeCase(
      path.join(root, 'test', '03-srt-c'),
      'input.srt',
      '1\n00:00:01,000 --> 00:00:02,000\nCy: hi\n',
    );

    const sets = await loadCaseSets(root);

    expect(sets.map((s) => [s.name, s.gated, s.cases.map((c) => c.id)])).toEqual([
      ['dev', true, ['01-notes-a']],
      ['test', false, ['02-vtt-b', '03-srt-c']],
    ]);
    expect(sets[1]!.cases[0]!.raw).toContain('WEBVTT');
  });

  it('treats a folder without halves as one gated set named after it', async () => {
    const outside = path.join(root, 'held-out');
    await writeCase(path.join(outside, '01-email'), 'input.eml', 'From: a@b.c\n\nHello');

    const sets = await loadCaseSets(outside);

    expect(sets).toHaveLength(1);
    expect(sets[0]).toMatchObject({ name: 'held-out', gated: true });
    expect(sets[0]!.cases.map((c) => c.id)).toEqual(['01-email']);
  });

  it('refuses a case that sits in both halves under the same slug', async () => {
    await writeCase(path.join(root, 'dev', '01-notes-freeze'), 'input.txt', 'Budget frozen.');
    await writeCase(path.join(root, 'test', '40-notes-freeze'), 'input.txt', 'Spend is paused.');

    await expect(loadCaseSets(root)).rejects.toThrow(/test\/40-notes-freeze repeats dev\/01-notes-freeze/);
  });

  it('refuses the same conversation copied into the test half under another name', async () => {
    await writeCase(path.join(root, 'dev', '01-notes-a'), 'input.txt', 'We went with Clari.\n');
    await writeCase(path.join(root, 'test', '50-notes-b'), 'input.txt', 'We went with Clari.');

    await expect(loadCaseSets(root)).rejects.toThrow(/test\/50-notes-b repeats dev\/01-notes-a/);
  });

  it('names the folder when a case has two inputs, listing every accepted file name', async () => {
    const folder = path.join(root, 'test', '01-two');
    await writeCase(folder, 'input.vtt', 'WEBVTT\n');
    await writeFile(path.join(folder, 'input.srt'), '1\n');

    await expect(loadCaseSets(root)).rejects.toThrow(
      /01-two: expected exactly one of .*input\.vtt, input\.srt, found 2/,
    );
  });

  it('names the file and field of a malformed label in the test half too', async () => {
    await writeCase(
      path.join(root, 'test', '01-bad'),
      'input.txt',
      'x',
      label({ meetingDate: '10/03/2026' }),
    );

    await expect(loadCaseSets(root)).rejects.toThrow(/01-bad\/expected\.json: meetingDate: expected a date/);
  });
});

describe("the repository's own split", () => {
  it('keeps at least 80 labelled cases, a test half of at least 40 and about half of the whole', async () => {
    const sets = await loadCaseSets(REPO_CASES);
    const [dev, test] = HALVES.map((half) => sets.find((s) => s.name === half)!);

    expect(dev!.cases.length + test!.cases.length).toBeGreaterThanOrEqual(80);
    expect(test!.cases.length).toBeGreaterThanOrEqual(40);
    expect(test!.cases.length / (dev!.cases.length + test!.cases.length)).toBeGreaterThanOrEqual(0.45);
  });

  it('keeps the 38 cases the extractor was first tuned on in dev, numbered 01 to 38, and never a test number in dev', async () => {
    const numbers = async (half: string) =>
      (await readdir(path.join(REPO_CASES, half))).map((id) => Number(/^\d+/.exec(id)![0]));
    const dev = await numbers('dev');
    const test = await numbers('test');

    expect(dev.filter((n) => n <= 38).sort((a, b) => a - b)).toEqual(
      Array.from({ length: 38 }, (_, i) => i + 1),
    );
    // Dev cases written later take numbers of their own, so no held-out case ever moved to dev.
    expect(dev.filter((n) => test.includes(n))).toEqual([]);
    expect(new Set(dev).size).toBe(dev.length);
    expect(test.every((n) => n > 38)).toBe(true);
    // Numbered past the test half as first written (39-83).
    expect(dev.filter((n) => n > 38 && n <= 83)).toEqual([]);
  });

  it('holds every input format in the test half, and Chinese and Spanish conversations', async () => {
    const sets = await loadCaseSets(REPO_CASES);
    const test = sets.find((s) => s.name === 'test')!;
    const inputs = new Set(test.cases.map((c) => path.basename(c.inputFile)));
    const gong = test.cases.filter((c) => c.inputFile.endsWith('.json') && c.raw.includes('callTranscripts'));

    expect([...inputs].sort()).toEqual([...INPUT_NAMES].sort());
    expect(gong.length).toBeGreaterThanOrEqual(5);
    expect(test.cases.filter((c) => /[\u4e00-\u9fff]/.test(c.raw)).length).toBeGreaterThanOrEqual(3);
    expect(
      test.cases.filter((c) => /\b(presupuesto|gracias|contrato)\b/i.test(c.raw)).length,
    ).toBeGreaterThanOrEqual(3);
  });
});

// Each run starts the pipeline in a child process: seconds, not milliseconds, on a busy machine.
describe('npm run eval:extract over a split', { timeout: 60_000 }, () => {
  const run = promisify(execFile);
  const evalScript = async (...args: string[]) => {
    try {
      const { stdout } = await run(
        process.execPath,
        ['--import', 'tsx', 'eval/run-eval.ts', '--no-real', ...args],
        {
          cwd: serviceDir,
        },
      );
      return { code: 0, stdout };
    } catch (error) {
      const e = error as { code: number; stdout: string };
      return { code: e.code, stdout: e.stdout };
    }
  };

  /** A dev case from the repository, and a test case whose label names a vendor the text never mentions. */
  async function splitWithAFailingTestHalf(): Promise<string> {
    const source = path.join(REPO_CASES, 'dev', '34-gong-decision-process-euros');
    await cp(source, path.join(root, 'dev', '34-gong-decision-process-euros'), { recursive: true });
    const failing = path.join(root, 'test', '90-gong-phantom-vendor');
    await cp(source, failing, { recursive: true });
    const expected = JSON.parse(await readFile(path.join(failing, 'expected.json'), 'utf8')) as {
      competitors: string[];
    };
    expected.competitors = ['Phantom Vendor Zeta'];
    await writeFile(path.join(failing, 'expected.json'), JSON.stringify(expected));
    await writeFile(
      path.join(failing, 'input.json'),
      // Another call of the same shape: the loader refuses a conversation copied into both halves.
      (await readFile(path.join(failing, 'input.json'), 'utf8')).replace('"id": "', '"id": "9'),
    );
    return root;
  }

  it('prints both halves and lets only the dev half decide --check', async () => {
    const dir = await splitWithAFailingTestHalf();

    const { code, stdout } = await evalScript('--cases', dir, '--check');

    const [devPart, testPart] = stdout.split('=== test');
    expect(devPart).toContain('=== dev: 1 labelled cases');
    expect(testPart).toMatch(/MISSED\s+competitors F1/);
    // Each half says how its files were read, without naming a held-out case.
    expect(devPart).toContain('read as: json -> gong 1');
    expect(testPart).toContain('read as: json -> gong 1');
    // Whatever the extractor makes of the dev case, the test half's miss never fails the check.
    expect(code).toBe(/MISSED/.test(devPart!) ? 1 : 0);
  });

  it("hides the test half's cases and failures unless --show-test-failures is given", async () => {
    const dir = await splitWithAFailingTestHalf();

    const hidden = await evalScript('--cases', dir, '--verbose');
    const shown = await evalScript('--cases', dir, '--verbose', '--show-test-failures');

    expect(hidden.stdout).not.toContain('90-gong-phantom-vendor');
    expect(hidden.stdout).toContain('per-case lines hidden for the held-out half');
    expect(shown.stdout).toContain('Per-case failures in test');
    expect(shown.stdout).toMatch(/90-gong-phantom-vendor[\s\S]*Phantom Vendor Zeta/);
  });

  it('keeps --case filtering across both halves', async () => {
    const dir = await splitWithAFailingTestHalf();

    const { stdout } = await evalScript('--cases', dir, '--case', 'phantom');

    expect(stdout).not.toContain('=== dev');
    expect(stdout).toContain('=== test: 1 labelled cases');
  });
});
