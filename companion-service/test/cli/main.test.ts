import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { errorLine, main } from '../../src/cli/main.js';
import { InsightsSchema } from '../../src/domain/insights/schema.js';
import { parseIsoDate } from '../../src/cli/dates.js';

/**
 * The rest of the command line, run in this process (the contract itself is spawned in
 * extract-command.test.ts): what `main` prints and the exit code it returns.
 */
const SAMPLES = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../samples/conversations');

let stdout: string;
let stderr: string;
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'scribe-main-'));
  await writeFile(path.join(dir, 'broken.json'), '{"callTranscripts": [');
  await writeFile(path.join(dir, 'empty.txt'), '');
  await writeFile(path.join(dir, 'notes.txt'), 'Budget: 50k approved\n');
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});
beforeEach(() => {
  stdout = '';
  stderr = '';
  vi.stubEnv('OPENAI_BASE_URL', '');
  vi.stubEnv('OPENAI_API_KEY', '');
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => ((stdout += String(chunk)), true));
  vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => ((stderr += String(chunk)), true));
});
afterEach(() => {
  vi.restoreAllMocks();
  vi.unstubAllEnvs();
});

describe('scribe (in process)', () => {
  it.each([
    [
      'a folder as input',
      ['extract', '--input', '.'],
      /^scribe: cannot read --input \.: it is a folder\n$/,
      1,
    ],
    ['no --input', ['extract'], /^scribe: --input is required: .+\n$/, 2],
    [
      'an unknown option',
      ['extract', '--input', 'x', '--verbose'],
      /^scribe: Unknown option '--verbose'\n$/,
      2,
    ],
    [
      'an unknown --extractor',
      ['extract', '--input', 'x', '--extractor', 'gpt'],
      /^scribe: --extractor "gpt" is not known; use embedded or llm\n$/,
      2,
    ],
    ['an unknown command', ['summarize'], /^scribe: unknown command "summarize"; run "scribe help"\n$/, 2],
    ['an empty file', ['extract', '--input', 'EMPTY'], /^scribe: the input is empty\n$/, 1],
  ])('fails on %s with one line naming the problem', async (_what, args, message, code) => {
    const files: Record<string, string> = {
      BROKEN: path.join(dir, 'broken.json'),
      EMPTY: path.join(dir, 'empty.txt'),
    };
    expect(await main(args.map((a) => files[a] ?? a))).toBe(code);
    expect(stderr).toMatch(message);
    expect(stdout).toBe('');
  });

  it('reads broken JSON as plain text and says so in the warnings, instead of failing', async () => {
    expect(await main(['extract', '--input', path.join(dir, 'broken.json')])).toBe(0);
    expect(stderr).toBe('');
    const output = JSON.parse(stdout) as { warnings: string[] };
    expect(output.warnings).toContainEqual(
      expect.stringMatching(/^the input looks like JSON but does not parse: .+; read as plain text instead$/),
    );
  });

  it('takes the current stage and meeting date from a Gong call', async () => {
    expect(await main(['extract', '--input', path.join(SAMPLES, '01-fabrikam-discovery.gong.json')])).toBe(0);
    const insights = JSON.parse(stdout) as {
      stageSuggestion: { from: string } | null;
      source: { meetingDate: string; format: string };
    };
    expect(insights.source).toMatchObject({ format: 'gong', meetingDate: '2026-03-10' });
    expect(insights.stageSuggestion?.from).toBe('Qualification');
  });

  it('lets --meeting-date win over the date the source carries, and matches --stage in any case', async () => {
    const eml = path.join(SAMPLES, '03-wingtip-email.eml');
    expect(
      await main([
        'extract',
        '--input',
        eml,
        '--meeting-date',
        '2026-04-01',
        '--stage',
        'negotiation/review',
      ]),
    ).toBe(0);
    const insights = JSON.parse(stdout) as {
      stageSuggestion: { from: string } | null;
      source: { meetingDate: string };
    };
    expect(insights.source.meetingDate).toBe('2026-04-01');
    expect(insights.stageSuggestion?.from).toBe('Negotiation/Review');
  });

  it('prints the usage on help', async () => {
    expect(await main(['help'])).toBe(0);
    expect(stdout).toMatch(/^usage:\n {2}scribe extract --input <file>/);
  });

  // Asking a command for help must never run it: `scribe start --help` used to start the local org.
  it.each([
    'start',
    'serve',
    'worker',
    'redrive',
    'local-org',
    'demo',
    'audit',
    'forecast',
    'scan',
    'erase',
    'orgs',
  ])('scribe %s --help prints its usage and runs nothing', async (command) => {
    expect(await main([command, '--help'])).toBe(0);
    expect(stdout).toMatch(new RegExp(`^usage:\\n {2}scribe ${command}( |$)`, 'm'));
    expect(stderr).toBe('');
  });

  it('scribe extract --help prints every input format', async () => {
    expect(await main(['extract', '-h'])).toBe(0);
    for (const format of ['eml', 'email', 'vtt', 'srt', 'gong', 'transcript', 'notes', 'memo'])
      expect(stdout).toMatch(new RegExp(`^ +${format} +`, 'm'));
  });
});

describe('scribe fails closed (in process)', () => {
  const REAL_ORG = {
    SF_INSTANCE_URL: 'https://acme.my.salesforce.com',
    SF_ACCESS_TOKEN: '00D000000000001!token',
  };
  const run = async (args: string[], env: Record<string, string>) => {
    for (const [name, value] of Object.entries(env)) vi.stubEnv(name, value);
    return main(args);
  };

  it.each([
    ['serve with no org named', ['serve'], {}, /^scribe: no Salesforce org is set: .* or SF_ORG=local/],
    ['scan with no org named', ['scan'], {}, /^scribe: no Salesforce org is set/],
    [
      'serve with a misspelled setting',
      ['serve'],
      { ...REAL_ORG, SF_USER_NAME: 'scribe@acme.com' },
      /^scribe: SF_USER_NAME is not a setting the service knows: did you mean SF_USERNAME\?/,
    ],
    // Refused before connecting: acme.my.salesforce.com is never called.
    [
      'serve of a real org without a key',
      ['serve'],
      REAL_ORG,
      /^scribe: SCRIBE_API_KEY is not set, and a service that writes to a real Salesforce org needs it/,
    ],
    [
      'start with a real org',
      ['start', '--once'],
      { ...REAL_ORG, SCRIBE_API_KEY: 'a-key-of-sixteen-chars' },
      /^scribe: scribe start writes its sample conversations into the org, and SF_\* name a real Salesforce org: run `scribe serve`/,
    ],
  ])('stops %s, naming the fix', async (_what, args, env, said) => {
    expect(await run(args, env)).toBe(1);
    expect(stderr).toMatch(said);
    expect(stdout).toBe('');
  });
});

describe('parseIsoDate', () => {
  it('accepts real calendar dates and rejects the rest, naming the option', () => {
    expect(parseIsoDate('2028-02-29', '--meeting-date')).toBe('2028-02-29');
    for (const bad of ['2026-02-29', '2026-13-01', '2026-3-10', '10.03.2026', '']) {
      expect(() => parseIsoDate(bad, '--meeting-date')).toThrow(
        `--meeting-date "${bad}" is not a date; use YYYY-MM-DD`,
      );
    }
  });
});

describe('errorLine', () => {
  it('turns a broken insights contract into one line naming the field', () => {
    const result = InsightsSchema.safeParse({ summary: 'x', decisions: 'none' });
    expect(errorLine(result.error)).toBe(
      'internal error: the insights break the contract at decisions: Invalid input: expected array, received string',
    );
  });

  it('keeps the first non-empty line of any other error', () => {
    expect(errorLine(new Error('\nno such file\nstack'))).toBe('no such file');
    expect(errorLine('plain text')).toBe('plain text');
  });
});
