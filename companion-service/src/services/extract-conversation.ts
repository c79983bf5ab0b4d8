import type { Insights } from '../domain/insights/schema.js';
import type { Extractor } from '../domain/extraction/extractor.js';
import type { OrgRules } from '../domain/org-rules.js';
import {
  detectInputFormat,
  readConversation,
  type InputFormat,
  type ReadConversation,
} from '../domain/source/detect.js';
import { normalizeText } from '../domain/source/normalize.js';
import { decodeMime } from '../adapters/email/mime.js';
import { findStage } from '../domain/stages/stage-rules.js';

export class InputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InputError';
  }
}

export interface ExtractRequest {
  raw: string;
  /** YYYY-MM-DD; wins over a date the source carries. */
  meetingDate?: string | null;
  currentStage?: string | null;
  /** YYYY-MM-DD used when neither the request nor the source dates the conversation. */
  today: string;
  rules: OrgRules;
  extractor: Extractor;
  /** The input's format as the caller names it; detected when absent. */
  formatIn?: InputFormat | null;
}

/**
 * Reads the input as what it is. A MIME message is decoded first (transfer encodings, multipart,
 * encoded headers), then read as the email it carries; a message that does not decode is read as
 * it stands, with a warning.
 */
export async function readInput(raw: string, formatIn?: InputFormat | null): Promise<ReadConversation> {
  const format = formatIn ?? detectInputFormat(normalizeText(raw));
  if (format !== 'eml') return readConversation(raw, format);
  let decoded: string;
  try {
    decoded = await decodeMime(raw);
  } catch (error) {
    const read = readConversation(raw, 'email');
    read.warnings.unshift(
      `the MIME message does not decode (${(error as Error).message}); read as it stands`,
    );
    return read;
  }
  const read = readConversation(decoded, 'email');
  return { ...read, inputFormat: read.inputFormat === 'email' ? 'eml' : read.inputFormat };
}

/** One conversation in, insights out: parse, settle the meeting date and stage, extract. */
export async function extractConversation(request: ExtractRequest): Promise<Insights> {
  return extractRead(await readInput(request.raw, request.formatIn), request);
}

/** A conversation already read (once, by the caller that also writes its text), extracted. */
export async function extractRead(
  { conversation, warnings }: ReadConversation,
  request: Omit<ExtractRequest, 'raw' | 'formatIn'>,
): Promise<Insights> {
  const stage = request.currentStage ?? conversation.crmContext?.stageName ?? null;
  if (stage && !findStage(request.rules.stageRules, stage)) {
    const known = request.rules.stageRules.stages.map((s) => `"${s.stageName}"`).join(', ');
    throw new InputError(`stage "${stage}" is not defined in Stage_Definition__mdt; use one of ${known}`);
  }
  const insights = await request.extractor.extract(conversation, {
    currentStage: stage ? findStage(request.rules.stageRules, stage)!.stageName : null,
    meetingDate: request.meetingDate ?? conversation.meetingDate ?? request.today,
    rules: request.rules,
  });
  return { ...insights, warnings: [...warnings, ...(insights.warnings ?? [])] };
}
