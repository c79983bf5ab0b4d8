import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ESLint } from 'eslint';
import { afterAll, describe, expect, it } from 'vitest';

/**
 * The layers of companion-service/src are held by `npm run lint` (eslint.config.mjs): these lint
 * deliberate violations with the repo's own config and expect the lint to refuse each.
 */

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const eslint = new ESLint({ cwd: repo });

const fixtures: string[] = [];
afterAll(() => fixtures.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

/** Writes the files into a fresh folder under `layer` (a folder of the repo), lints the first. */
async function lint(layer: string, files: Record<string, string>) {
  const dir = mkdtempSync(path.join(repo, layer, 'lint-fixture-'));
  fixtures.push(dir);
  for (const [name, code] of Object.entries(files)) writeFileSync(path.join(dir, name), code);
  const [result] = await eslint.lintFiles([path.join(dir, Object.keys(files)[0]!)]);
  return result!.messages
    .filter((m) => m.severity === 2)
    .map((m) => ({ rule: m.ruleId, message: m.message }));
}

describe('the import-boundary lint', () => {
  it('refuses domain code that imports an adapter', async () => {
    const found = await lint('companion-service/src/domain', {
      'f.ts':
        "import { countByStatus } from '../../adapters/postgres/conversation-table.js';\nexport const f = countByStatus;\n",
    });
    expect(found).toContainEqual(
      expect.objectContaining({
        rule: 'import/no-restricted-paths',
        message: expect.stringContaining('domain/'),
      }),
    );
  });

  it('refuses domain code that does I/O', async () => {
    const found = await lint('companion-service/src/domain', {
      'f.ts': "import { readFileSync } from 'node:fs';\nexport const f = readFileSync;\n",
    });
    expect(found).toContainEqual(expect.objectContaining({ rule: 'no-restricted-imports' }));
  });

  it('refuses an adapter that imports a use case', async () => {
    const found = await lint('companion-service/src/adapters/postgres', {
      'f.ts': "import { redrive } from '../../../services/ingest/redrive.js';\nexport const f = redrive;\n",
    });
    expect(found).toContainEqual(expect.objectContaining({ rule: 'import/no-restricted-paths' }));
  });

  it('refuses a use case that imports the emulators, and lets a composition root', async () => {
    const code = "import * as org from '@pipeline-scribe/local-salesforce/org';\nexport const f = org;\n";
    expect(await lint('companion-service/src/services', { 'f.ts': code })).toContainEqual(
      expect.objectContaining({ rule: 'no-restricted-imports' }),
    );
    expect(await lint('companion-service/src/cli', { 'f.ts': code })).toEqual([]);
  });

  it('refuses a use case that reads force-app itself, and lets an adapter', async () => {
    const code =
      "import { readObjects } from '@pipeline-scribe/force-app-model';\nexport const f = readObjects;\n";
    expect(await lint('companion-service/src/services', { 'f.ts': code })).toContainEqual(
      expect.objectContaining({
        rule: 'no-restricted-imports',
        message: expect.stringContaining('adapters/'),
      }),
    );
    expect(await lint('companion-service/src/domain', { 'f.ts': code })).toContainEqual(
      expect.objectContaining({ rule: 'no-restricted-imports' }),
    );
    expect(await lint('companion-service/src/adapters/metadata', { 'f.ts': code })).toEqual([]);
  });

  it('refuses an import cycle', async () => {
    const found = await lint('companion-service/src/domain', {
      'a.ts': "import { b } from './b.js';\nexport const a = () => b;\n",
      'b.ts': "import { a } from './a.js';\nexport const b = () => a;\n",
    });
    expect(found).toContainEqual(expect.objectContaining({ rule: 'import/no-cycle' }));
  });
});
