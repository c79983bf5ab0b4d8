import { readTextFile } from '../adapters/files/read-text-file.js';
import type { Writable } from 'node:stream';
import { parseOptions, UsageError } from './options.js';
import { extractConversation } from '../services/extract-conversation.js';
import { createExtractor, type ExtractorKind } from '../services/choose-extractor.js';
import { loadPackageRules } from '../adapters/metadata/package-metadata.js';
import { formatNotes } from '../domain/notes/format-notes.js';
import { localDate, parseIsoDate } from './dates.js';
import { INPUT_FORMATS, isInputFormat } from '../domain/source/detect.js';

export const EXTRACT_HELP = `usage: scribe extract --input <file> [options]

Reads one conversation and prints what it says about the deal, every value with its quote.

options:
  -i, --input <file>          the conversation to read (required)
  --format-in <format>        what the input is, when detection should not decide:
                                eml         a saved MIME message (multipart, encoded bodies)
                                email       a pasted email or thread (forwards, replies, quoted history)
                                vtt         a WebVTT caption file (Zoom, Teams, Meet; <v Name> voice tags)
                                srt         an SRT caption file ("Name:" prefixes)
                                gong        Gong's transcript JSON (callTranscripts, parties)
                                transcript  "Speaker: text" lines, or ASR/meeting transcript JSON
                                notes       free notes or bullet lists
                                memo        a dictated voice memo's text
                              detected when absent; input that does not read as the format named is read
                              as plain text, with a warning
  --meeting-date YYYY-MM-DD   the day relative dates resolve against (default: the source's own date, else today)
  --stage "<StageName>"       the opportunity's current stage, one of Stage_Definition__mdt
  --format json|text          json (default): the insights with "language" (BCP 47) and "warnings" at the top
                              level; text: structured notes
  --extractor embedded|llm    embedded (default without OPENAI_*): English rules, no network; llm: any language
  --seller-domains a.com,b.com  our own email domains for this run, besides Scribe_Setting__mdt's
  --seller "Person A,Person B"  our own people for this run; neither is ever proposed as a customer contact
  -h, --help                  this help

In an email thread the newest message is the conversation; older messages quoted below it are kept
as context and never drive next steps or the stage. A forwarded message counts as the conversation.`;
import { withSellerSide } from './seller-options.js';

export async function runExtract(args: string[], out: Writable): Promise<number> {
  const opts = parseOptions(args, {
    input: { type: 'string', short: 'i' },
    'meeting-date': { type: 'string' },
    stage: { type: 'string' },
    format: { type: 'string' },
    extractor: { type: 'string' },
    'format-in': { type: 'string' },
    help: { type: 'boolean', short: 'h' },
    'seller-domains': { type: 'string' },
    seller: { type: 'string' },
  });
  if (opts.help) {
    out.write(EXTRACT_HELP + '\n');
    return 0;
  }
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

  const formatIn = opts['format-in'];
  if (formatIn !== undefined && !isInputFormat(formatIn)) {
    throw new UsageError(`--format-in "${formatIn}" is not known; use one of ${INPUT_FORMATS.join(', ')}`);
  }

  const raw = await readTextFile(opts.input, '--input');
  const insights = await extractConversation({
    raw,
    meetingDate,
    currentStage: opts.stage ?? null,
    today: localDate(new Date()),
    rules: withSellerSide(await loadPackageRules(), opts['seller-domains'], opts.seller),
    extractor: createExtractor(kind, process.env),
    formatIn: formatIn ?? null,
  });
  out.write(format === 'json' ? JSON.stringify(insights, null, 2) + '\n' : formatNotes(insights));
  return 0;
}
