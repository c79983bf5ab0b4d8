import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

/**
 * The conversation's failure handling, the people extractor and the signal matcher are small named
 * steps: `npm run lint` (eslint.config.mjs) refuses a function of more than 60 lines in their files.
 */

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
// The repo's config, running only this rule: the import rules would resolve the whole graph.
const eslint = new ESLint({ cwd: repo, ruleFilter: ({ ruleId }) => ruleId === 'max-lines-per-function' });

// The files the config holds to the limit, as it names them (relative to the repository).
const config = (await import(pathToFileURL(path.join(repo, 'eslint.config.mjs')).href)) as {
  STEP_FILES: string[];
};
const STEP_FILES = config.STEP_FILES.map((file) => path.join(repo, file));

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
  it('holds the failure handling, the people extractor and the signal matcher', () => {
    const held = STEP_FILES.map((f) => path.relative(repo, f));
    for (const file of [
      'companion-service/src/services/process-conversation.ts',
      'companion-service/src/domain/conversation-failures.ts',
      'companion-service/src/domain/extraction/embedded/people.ts',
      'companion-service/src/domain/stages/signal-matcher.ts',
    ])
      expect(held).toContain(file);
  });

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
