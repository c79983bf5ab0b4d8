import { readTextFile } from '../adapters/files/read-text-file.js';
import type { Writable } from 'node:stream';
import { parseOptions, UsageError } from './options.js';
import { extractConversation } from '../services/extract-conversation.js';
import { createExtractor, type ExtractorKind } from '../services/choose-extractor.js';
import { loadPackageRules } from '../adapters/metadata/package-metadata.js';
import { formatNotes } from '../domain/notes/format-notes.js';
import { localDate, parseIsoDate } from './dates.js';
import { withSellerSide } from './seller-options.js';

export async function runExtract(args: string[], out: Writable): Promise<number> {
  const opts = parseOptions(args, {
    input: { type: 'string', short: 'i' },
    'meeting-date': { type: 'string' },
    stage: { type: 'string' },
    format: { type: 'string' },
    extractor: { type: 'string' },
    'seller-domains': { type: 'string' },
    seller: { type: 'string' },
  });
  if (!opts.input)
    throw new UsageError('--input is required: the notes, transcript, email or Gong JSON file to read');
  const format = opts.format ?? 'json';
  if (format !== 'json' && format !== 'text') {
    throw new UsageError(`--format "${format}" is not known; use json or text`);
  }
  const meetingDate =
    opts['meeting-date'] === undefined ? null : parseIsoDate(opts['meeting-date'], '--meeting-date');
  const kind = opts.extractor as ExtractorKind | undefined;
  if (kind !== undefined && kind !== 'embedded' && kind !== 'llm') {
    throw new UsageError(`--extractor "${kind}" is not known; use embedded or llm`);
  }

  const raw = await readTextFile(opts.input, '--input');
  const insights = await extractConversation({
    raw,
    meetingDate,
    currentStage: opts.stage ?? null,
    today: localDate(new Date()),
    rules: withSellerSide(await loadPackageRules(), opts['seller-domains'], opts.seller),
    extractor: createExtractor(kind, process.env),
  });
  out.write(format === 'json' ? JSON.stringify(insights, null, 2) + '\n' : formatNotes(insights));
  return 0;
}
