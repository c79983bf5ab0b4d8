import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Writable } from 'node:stream';
import { extractConversation } from '../services/extract-conversation.js';
import { createExtractor } from '../services/choose-extractor.js';
import { loadPackageRules } from '../adapters/metadata/package-metadata.js';
import { formatNotes } from '../domain/notes/format-notes.js';
import { localDate } from './dates.js';

const SAMPLES = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../samples/conversations');

/** The main job on embedded defaults: every sample conversation through extraction, printed as notes. */
export async function runDemo(_args: string[], out: Writable): Promise<number> {
  const rules = await loadPackageRules();
  const extractor = createExtractor(undefined, process.env);
  // Where each sample's deal stands, as the opportunity would say; the write-back reads it from the org.
  const known = JSON.parse(await readFile(path.join(SAMPLES, 'stages.json'), 'utf8')) as Record<
    string,
    { stage?: string; meetingDate?: string }
  >;
  const files = (await readdir(SAMPLES)).filter((f) => !f.startsWith('.') && f !== 'stages.json').sort();
  for (const file of files) {
    const started = performance.now();
    const insights = await extractConversation({
      raw: await readFile(path.join(SAMPLES, file), 'utf8'),
      currentStage: known[file]?.stage ?? null,
      meetingDate: known[file]?.meetingDate ?? null,
      today: localDate(new Date()),
      rules,
      extractor,
    });
    const ms = (performance.now() - started).toFixed(1);
    out.write(`\n=== ${file} (${insights.source.format}, ${insights.source.extractor}, ${ms} ms)\n`);
    out.write(formatNotes(insights));
  }
  return 0;
}
