import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

/**
 * The conversation's failure handling, the people extractor and the signal matcher are small named
 * steps: `npm run lint` (eslint.config.mjs) refuses a function of more than 60 lines in their files.
 */

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
// The repo's config, running only this rule: the import rules would resolve the whole graph.
const eslint = new ESLint({ cwd: repo, ruleFilter: ({ ruleId }) => ruleId === 'max-lines-per-function' });

const STEP_FILES = [
  'domain/conversation-failures.ts',
  'services/process-conversation.ts',
  'services/worker.ts',
  'services/ingest/resolve-input.ts',
  'domain/extraction/embedded/people.ts',
  'domain/extraction/embedded/people-context.ts',
  'domain/extraction/embedded/introductions.ts',
  'domain/extraction/embedded/keyed-people.ts',
  'domain/stages/signal-matcher.ts',
  'domain/stages/signal-vetoes.ts',
].map((file) => path.join(repo, 'companion-service/src', file));

/** A function of `lines` lines, counting its first and last. */
function functionOf(lines: number): string {
  const body = Array.from({ length: lines - 4 }, (_, i) => `  total += ${i};`);
  return ['export function steps(): number {', '  let total = 0;', ...body, '  return total;', '}', ''].join(
    '\n',
  );
}

async function lengthErrors(code: string, filePath: string) {
  const [result] = await eslint.lintText(code, { filePath });
  return result!.messages.filter((m) => m.ruleId === 'max-lines-per-function').map((m) => m.message);
}

describe('the function-length lint', () => {
  it.each(STEP_FILES.map((f) => [path.relative(repo, f), f]))(
    'holds %s to 60 lines a function',
    async (_, file) => {
      const config = await eslint.calculateConfigForFile(file);
      expect(config.rules['max-lines-per-function']).toEqual([2, { max: 60 }]);
    },
  );

  it('finds no function longer than 60 lines in those files', async () => {
    const results = await eslint.lintFiles(STEP_FILES);
    const long = results.flatMap((r) =>
      r.messages
        .filter((m) => m.ruleId === 'max-lines-per-function')
        .map((m) => `${path.relative(repo, r.filePath)}:${m.line} ${m.message}`),
    );
    expect(long).toEqual([]);
  });

  it('refuses a 61-line function there and takes a 60-line one', async () => {
    const people = STEP_FILES.find((f) => f.endsWith('people.ts'))!;
    expect(await lengthErrors(functionOf(61), people)).toEqual([
      expect.stringMatching(/too many lines \(61\)\. Maximum allowed is 60/),
    ]);
    expect(await lengthErrors(functionOf(60), people)).toEqual([]);
  });
});
