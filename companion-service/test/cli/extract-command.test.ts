import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/**
 * The command-line contract other checks depend on, exercised as a user runs it: a real process,
 * its exit code, what it prints on stdout, and exactly one line on stderr when it fails.
 */
const SERVICE = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const SAMPLES = path.join(SERVICE, 'samples/conversations');
const CLI_TIMEOUT = 60_000;

interface Run {
  code: number | null;
  stdout: string;
  /** stderr without the "npm warn" lines npm adds about its own configuration. */
  stderrLines: string[];
}

function scribe(...args: string[]): Promise<Run> {
  const env = { ...process.env };
  delete env.OPENAI_BASE_URL;
  delete env.OPENAI_API_KEY;
  delete env.SCRIBE_PACKAGE_DIR;
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['bin/scribe.js', 'extract', ...args], { cwd: SERVICE, env });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) =>
      resolve({
        code,
        stdout,
        stderrLines: stderr.split('\n').filter((line) => line.trim() && !line.startsWith('npm warn')),
      }),
    );
  });
}

const CONTRACT_KEYS = [
  'summary',
  'decisions',
  'objections',
  'nextSteps',
  'stakeholders',
  'budget',
  'timeline',
  'competitors',
  'stageSuggestion',
  'fieldUpdates',
];

let dir: string;
const file = (name: string) => path.join(dir, name);

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'scribe-cli-'));
  await writeFile(file('notes.txt'), 'Acme call notes\n- Budget: 50k approved for this year\n');
  await writeFile(file('unknown.json'), '{"calls": 3}');
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const FORMATS = path.join(SERVICE, 'test/fixtures/formats');

describe.concurrent('scribe extract', () => {
  it(
    'prints only the insights JSON, with every key of the contract and evidence that is in the input',
    async () => {
      const input = path.join(SAMPLES, '04-northwind-notes.md');
      const run = await scribe('--input', input, '--meeting-date', '2026-03-10', '--stage', 'Qualification');
      expect(run.stderrLines).toEqual([]);
      expect(run.code).toBe(0);
      const insights = JSON.parse(run.stdout) as Record<string, unknown>;
      for (const key of CONTRACT_KEYS) expect(insights).toHaveProperty(key);
      expect(typeof insights.summary).toBe('string');
      for (const key of [
        'decisions',
        'objections',
        'nextSteps',
        'stakeholders',
        'competitors',
        'fieldUpdates',
      ]) {
        expect(Array.isArray(insights[key])).toBe(true);
      }
      expect((insights.source as { meetingDate: string }).meetingDate).toBe('2026-03-10');
      expect((insights.stageSuggestion as { from: string } | null)?.from).toBe('Qualification');

      const raw = await readFile(input, 'utf8');
      const evidence: { quote: string; start: number; end: number }[] = [];
      JSON.parse(run.stdout, (key, value: unknown) => {
        if (key === 'evidence' && value && typeof value === 'object')
          evidence.push(...([value].flat() as typeof evidence));
        return value;
      });
      expect(evidence.length).toBeGreaterThan(0);
      for (const e of evidence) expect(raw.slice(e.start, e.end)).toBe(e.quote);
    },
    CLI_TIMEOUT,
  );

  it(
    'prints structured notes with --format text',
    async () => {
      const run = await scribe('--input', path.join(SAMPLES, '03-wingtip-email.eml'), '--format', 'text');
      expect(run.stderrLines).toEqual([]);
      expect(run.code).toBe(0);
      expect(run.stdout.startsWith('SUMMARY\n')).toBe(true);
      expect(() => JSON.parse(run.stdout)).toThrow();
    },
    CLI_TIMEOUT,
  );

  it(
    'reads a WebVTT file as a transcript with its speakers and prints language and warnings at the top level',
    async () => {
      const run = await scribe('--input', path.join(FORMATS, 'zoom.vtt'), '--meeting-date', '2026-03-10');
      expect(run.stderrLines).toEqual([]);
      expect(run.code).toBe(0);
      const insights = JSON.parse(run.stdout) as {
        language: string;
        warnings: string[];
        source: { format: string };
        budget: { amount: number; evidence: { quote: string } } | null;
        competitors: { name: string }[];
      };
      expect(insights.language).toBe('en');
      expect(insights.warnings).toEqual([]);
      expect(insights.source.format).toBe('transcript');
      expect(insights.budget?.amount).toBe(120000);
      // The quote is the words spoken, never the cue's timing line.
      expect(insights.budget?.evidence.quote).not.toMatch(/-->|00:00/);
      expect(insights.competitors.map((c) => c.name)).toContain('Clari');
    },
    CLI_TIMEOUT,
  );

  it(
    'reads Chinese: the budget in 万元, no warning, and the language named',
    async () => {
      const run = await scribe('--input', path.join(FORMATS, 'chinese-notes.txt'));
      expect(run.code).toBe(0);
      const insights = JSON.parse(run.stdout) as {
        language: string;
        warnings: string[];
        budget: { amount: number; currency: string; evidence: { quote: string } } | null;
      };
      expect(insights.language).toBe('zh');
      expect(insights.warnings).toEqual([]);
      expect(insights.budget).toMatchObject({ amount: 500_000, currency: 'CNY' });
      expect(insights.budget?.evidence.quote).toContain('50万元');
    },
    CLI_TIMEOUT,
  );

  it(
    'says which language it read and that the embedded extractor reads English, Spanish and Chinese only, for French',
    async () => {
      const run = await scribe('--input', path.join(FORMATS, 'french-notes.txt'));
      expect(run.code).toBe(0);
      const insights = JSON.parse(run.stdout) as { language: string; warnings: string[] };
      expect(insights.language).toBe('fr');
      expect(insights.warnings).toHaveLength(1);
      expect(insights.warnings[0]).toMatch(
        /French \(fr\).*embedded extractor reads English, Spanish, Chinese only/,
      );
    },
    CLI_TIMEOUT,
  );

  it(
    'puts the warnings right under the summary in the text notes',
    async () => {
      const text = await scribe('--input', path.join(FORMATS, 'french-notes.txt'), '--format', 'text');
      expect(text.code).toBe(0);
      expect(text.stdout).toMatch(/^SUMMARY\n.*\n\nWARNINGS\n- the conversation reads as French/);
    },
    CLI_TIMEOUT,
  );

  it(
    'reads Spanish as "es": the budget in European notation, no warning',
    async () => {
      const run = await scribe('--input', path.join(FORMATS, 'spanish-notes.txt'));
      const insights = JSON.parse(run.stdout) as {
        language: string;
        warnings: string[];
        budget: { amount: number; currency: string } | null;
      };
      expect(insights.language).toBe('es');
      expect(insights.warnings).toEqual([]);
      expect(insights.budget).toMatchObject({ amount: 80_000, currency: 'EUR' });
    },
    CLI_TIMEOUT,
  );

  it(
    'reads an unknown JSON shape as plain text with a warning instead of failing',
    async () => {
      const run = await scribe('--input', file('unknown.json'));
      expect(run.stderrLines).toEqual([]);
      expect(run.code).toBe(0);
      const insights = JSON.parse(run.stdout) as { warnings: string[]; source: { format: string } };
      expect(insights.source.format).toBe('notes');
      expect(insights.warnings[0]).toMatch(/unknown JSON format.*read as plain text instead/);
    },
    CLI_TIMEOUT,
  );

  it(
    '--format-in overrides detection: an SRT file read as notes',
    async () => {
      // Detected, the same file is a transcript: test/domain/source/formats.test.ts.
      const run = await scribe('--input', path.join(FORMATS, 'teams.srt'), '--format-in', 'notes');
      expect(run.code).toBe(0);
      const insights = JSON.parse(run.stdout) as { source: { format: string } };
      expect(insights.source.format).toBe('notes');
    },
    CLI_TIMEOUT,
  );

  it(
    'documents every option and input format in --help',
    async () => {
      const run = await scribe('--help');
      expect(run.code).toBe(0);
      for (const word of [
        '--format-in',
        '--meeting-date',
        '--stage',
        '--format',
        '--extractor',
        'language',
        'warnings',
      ])
        expect(run.stdout).toContain(word);
      for (const format of ['eml', 'email', 'vtt', 'srt', 'gong', 'transcript', 'notes', 'memo'])
        expect(run.stdout).toMatch(new RegExp(`\\n\\s+${format}\\s`));
    },
    CLI_TIMEOUT,
  );

  it.each([
    [
      'a missing file',
      ['--input', 'no/such/file.txt'],
      /cannot read --input no\/such\/file\.txt: no such file/,
    ],
    [
      'an unknown --format',
      ['--input', 'NOTES', '--format', 'xml'],
      /--format "xml" is not known; use json or text/,
    ],
    [
      'an impossible --meeting-date',
      ['--input', 'NOTES', '--meeting-date', '2026-02-30'],
      /--meeting-date "2026-02-30" is not a date; use YYYY-MM-DD/,
    ],
    [
      'a US-style --meeting-date',
      ['--input', 'NOTES', '--meeting-date', '03/10/2026'],
      /--meeting-date "03\/10\/2026" is not a date; use YYYY-MM-DD/,
    ],
    [
      'an unknown --stage',
      ['--input', 'NOTES', '--stage', 'Verbal Commit'],
      /stage "Verbal Commit" is not defined in Stage_Definition__mdt; use one of "Prospecting"/,
    ],
    [
      'an unknown --format-in',
      ['--input', 'NOTES', '--format-in', 'docx'],
      /--format-in "docx" is not known; use one of eml, email, vtt, srt, gong, transcript, notes, memo/,
    ],
  ])(
    'fails on %s with one line on stderr that names the problem',
    async (_what, args, message) => {
      const files: Record<string, string> = {
        NOTES: file('notes.txt'),
        UNKNOWN: file('unknown.json'),
      };
      const run = await scribe(...args.map((a) => files[a] ?? a));
      expect(run.code).not.toBe(0);
      expect(run.stderrLines).toHaveLength(1);
      expect(run.stderrLines[0]).toMatch(message);
      expect(run.stdout).toBe('');
    },
    CLI_TIMEOUT,
  );
});
