import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { emptyAnswer, startFakeOpenAi, type FakeOpenAi, type Script } from './fake-openai-server.js';

const SERVICE_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const API_KEY = 'sk-cli-test-0123456789';

const TRANSCRIPT = `Dana Whitfield: I'm the VP of Sales Operations at Acme Corp. Reach me at dana@acme-corp.com.
Dana Whitfield: Our budget for this is $120k for the year.
Dana Whitfield: We are also evaluating Gong for this.
Sam Rivera: I'll send the proposal by Friday.
`;

let dir: string;
let server: FakeOpenAi | null = null;

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'scribe-llm-cli-'));
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

afterEach(async () => {
  await server?.close();
  server = null;
});

/** The CLI as a rep runs it, in a child process; the parent keeps serving the fake endpoint meanwhile. */
function scribe(
  args: string[],
  env: Record<string, string>,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  // Nothing from the developer's own OpenAI settings may reach the child.
  const base = Object.fromEntries(
    Object.entries(process.env).filter(
      ([name]) => !name.startsWith('OPENAI_') && !name.startsWith('SCRIBE_LLM_'),
    ),
  );
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['bin/scribe.js', ...args], {
      cwd: SERVICE_DIR,
      env: { ...base, ...env },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

async function input(): Promise<string> {
  const file = path.join(dir, 'call.txt');
  await writeFile(file, TRANSCRIPT);
  return file;
}

const goodAnswer: Script = () => ({
  content: {
    ...emptyAnswer(),
    summary: 'Dana Whitfield of Acme Corp has a $120k budget and is also evaluating Gong.',
    stakeholders: [
      {
        name: 'Dana Whitfield',
        title: 'VP of Sales Operations',
        role: 'economic_buyer',
        affiliation: 'customer',
        evidence: { quote: "I'm the VP of Sales Operations at Acme Corp." },
      },
    ],
    budget: {
      amount: 120_000,
      currency: 'USD',
      evidence: { quote: 'Our budget for this is $120k for the year.' },
      range: null,
    },
    competitors: [
      { name: 'Gong', context: 'Evaluating', evidence: { quote: 'We are also evaluating Gong for this.' } },
    ],
    nextSteps: [
      {
        text: 'Send the proposal',
        owner: 'Sam Rivera',
        dueDate: '2025-03-14',
        priority: 'high',
        evidence: { quote: "I'll send the proposal by Friday." },
      },
    ],
  },
});

describe('scribe extract --extractor llm', () => {
  it('prints the insights JSON extracted through the configured endpoint', async () => {
    server = await startFakeOpenAi(goodAnswer);
    const file = await input();
    const result = await scribe(
      ['extract', '--input', file, '--extractor', 'llm', '--format', 'json', '--meeting-date', '2025-03-10'],
      { OPENAI_BASE_URL: server.baseURL, OPENAI_API_KEY: API_KEY, SCRIBE_LLM_MODEL: 'cli-model' },
    );

    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const insights = JSON.parse(result.stdout);
    expect(insights.source).toMatchObject({
      extractor: 'llm',
      meetingDate: '2025-03-10',
      format: 'transcript',
    });
    expect(insights.budget).toMatchObject({
      amount: 120_000,
      currency: 'USD',
      evidence: { quote: 'Our budget for this is $120k for the year.' },
    });
    expect(insights.competitors.map((c: { name: string }) => c.name)).toEqual(['Gong']);
    expect(insights.nextSteps[0]).toMatchObject({ owner: 'Sam Rivera', dueDate: '2025-03-14' });
    expect(insights.stakeholders[0]).toMatchObject({
      name: 'Dana Whitfield',
      role: 'economic_buyer',
      affiliation: 'customer',
    });
    for (const key of ['summary', 'decisions', 'objections', 'timeline', 'stageSuggestion', 'fieldUpdates'])
      expect(insights).toHaveProperty(key);

    expect(server.requests).toHaveLength(1);
    expect(server.requests[0]!.body.model).toBe('cli-model');
    expect(server.requests[0]!.raw).not.toContain('dana@acme-corp.com');
    expect(server.requests[0]!.headers.authorization).toBe(`Bearer ${API_KEY}`);
  });

  it('fails in one line naming the endpoint when the endpoint fails', async () => {
    server = await startFakeOpenAi(() => ({
      status: 500,
      error: { error: { message: 'upstream model crashed', type: 'server_error' } },
    }));
    const file = await input();
    const result = await scribe(['extract', '--input', file, '--extractor', 'llm'], {
      OPENAI_BASE_URL: server.baseURL,
      OPENAI_API_KEY: API_KEY,
      SCRIBE_LLM_MAX_RETRIES: '0',
    });

    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toBe(
      `scribe: LLM extraction via ${server.baseURL} (model gpt-4o-mini) failed: HTTP 500 upstream model crashed\n`,
    );
  });

  it('says which variable is missing when the key is not set', async () => {
    const file = await input();
    const result = await scribe(['extract', '--input', file, '--extractor', 'llm'], {});

    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(
      /^scribe: OPENAI_API_KEY is not set for the llm extractor: export OPENAI_API_KEY=.*--extractor embedded\n$/,
    );
  });
});
