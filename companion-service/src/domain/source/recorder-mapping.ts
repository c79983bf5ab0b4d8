import { z } from 'zod';

/**
 * Where a call recorder's payload keeps what the service needs, as one small JSON file per tool
 * (recorder-mappings/<tool>.json): the recording's id, title, start, participants, transcript, and
 * whether it says consent to record was given. Paths are JSON Pointers (RFC 6901), relative to the
 * payload, or to one item of a list for the per-participant and per-segment fields. Reading a
 * payload through a mapping is pure: it names the missing or mistyped field, never guesses.
 */

// A JSON Pointer: empty (the whole document) or '/'-separated tokens.
const Pointer = z
  .string()
  .max(300)
  .regex(/^(\/[^/]*)*$/, 'expected a JSON Pointer such as /data/transcript/id (RFC 6901)');

export const RecorderMappingSchema = z
  .object({
    tool: z.string().regex(/^[a-z0-9-]{2,40}$/, 'use 2 to 40 lower-case letters, digits or -'),
    /** The public page the paths were read from; null when they were not checked against one. */
    documentation: z.url().nullable(),
    verifiedFromDocs: z.boolean(),
    id: Pointer,
    title: Pointer.optional(),
    startedAt: z
      .object({ path: Pointer, format: z.enum(['iso', 'epoch-ms', 'epoch-s']) })
      .strict()
      .optional(),
    participants: z
      .object({
        path: Pointer,
        name: Pointer.optional(),
        email: Pointer.optional(),
        phone: Pointer.optional(),
        /** Where the participant is, as ISO 3166-2 (US-CA) or ISO 3166-1 (DE), when the tool says. */
        region: Pointer.optional(),
      })
      .strict()
      .optional(),
    transcript: z.discriminatedUnion('kind', [
      z.object({ kind: z.literal('segments'), path: Pointer, speaker: Pointer, text: Pointer }).strict(),
      z.object({ kind: z.literal('text'), path: Pointer }).strict(),
    ]),
    /** A boolean in the payload that is true only when every party agreed to be recorded. */
    consent: Pointer.optional(),
  })
  .strict();
export type RecorderMapping = z.infer<typeof RecorderMappingSchema>;

export interface RecordedParticipant {
  name: string | null;
  email: string | null;
  phone: string | null;
  region: string | null;
}

/** A recording as every recorder's payload becomes it. */
export interface Recording {
  tool: string;
  externalId: string;
  title: string | null;
  /** ISO 8601. */
  startedAt: string | null;
  participants: RecordedParticipant[];
  /** "Speaker: text" lines, or the tool's own transcript text. */
  transcript: string;
  /** True or false when the payload says; null when it does not. */
  consentRecorded: boolean | null;
}

/** The value at a JSON Pointer; undefined when any step is missing. */
export function atPointer(document: unknown, pointer: string): unknown {
  if (pointer === '') return document;
  let node: unknown = document;
  for (const raw of pointer.slice(1).split('/')) {
    const token = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (Array.isArray(node)) {
      if (!/^(0|[1-9]\d{0,8})$/.test(token)) return undefined;
      node = node[Number(token)];
    } else if (node !== null && typeof node === 'object' && Object.hasOwn(node, token)) {
      node = (node as Record<string, unknown>)[token];
    } else {
      return undefined;
    }
  }
  return node;
}

export class RecordingMappingError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RecordingMappingError';
  }
}

const MAX_TEXT = 500;

function optionalText(document: unknown, pointer: string | undefined, field: string): string | null {
  if (pointer === undefined) return null;
  const value = atPointer(document, pointer);
  if (value === undefined || value === null || value === '') return null;
  if (typeof value !== 'string' && typeof value !== 'number') {
    throw new RecordingMappingError(`${field} (${pointer}) is ${typeof value}, expected text`);
  }
  return String(value).slice(0, MAX_TEXT);
}

function startOf(document: unknown, mapping: RecorderMapping): string | null {
  if (!mapping.startedAt) return null;
  const { path, format } = mapping.startedAt;
  const value = atPointer(document, path);
  if (value === undefined || value === null) return null;
  const ms =
    format === 'iso'
      ? typeof value === 'string'
        ? Date.parse(value)
        : NaN
      : typeof value === 'number'
        ? value * (format === 'epoch-s' ? 1000 : 1)
        : NaN;
  if (!Number.isFinite(ms)) {
    throw new RecordingMappingError(`startedAt (${path}) is not a ${format} time: ${JSON.stringify(value)}`);
  }
  return new Date(ms).toISOString();
}

/**
 * An address only when it looks like one: recorders fill the field for people they have no address
 * for (Read AI's documented webhook example sends the text "None"), and such a value must never be
 * matched to a contact or kept as someone's address.
 */
function addressOrNull(value: string | null): string | null {
  return value !== null && /^[^\s@]+@[^\s@]+$/.test(value) ? value : null;
}

/** Reads one payload through its tool's mapping, or says which field is missing or wrong. */
export function readRecording(mapping: RecorderMapping, payload: unknown): Recording {
  const externalId = optionalText(payload, mapping.id, 'id');
  if (!externalId) throw new RecordingMappingError(`id (${mapping.id}) is missing`);
  const people = mapping.participants;
  const list = people ? atPointer(payload, people.path) : undefined;
  if (list !== undefined && list !== null && !Array.isArray(list)) {
    throw new RecordingMappingError(`participants (${people!.path}) is not a list`);
  }
  const participants: RecordedParticipant[] = (Array.isArray(list) ? list : []).map((item, i) => ({
    name: optionalText(item, people!.name, `participants.${i}.name`),
    email: addressOrNull(optionalText(item, people!.email, `participants.${i}.email`)),
    phone: optionalText(item, people!.phone, `participants.${i}.phone`),
    region: optionalText(item, people!.region, `participants.${i}.region`),
  }));
  const consent = mapping.consent === undefined ? undefined : atPointer(payload, mapping.consent);
  if (consent !== undefined && consent !== null && typeof consent !== 'boolean') {
    throw new RecordingMappingError(
      `consent (${mapping.consent}) is ${typeof consent}, expected true or false`,
    );
  }
  return {
    tool: mapping.tool,
    externalId,
    title: optionalText(payload, mapping.title, 'title'),
    startedAt: startOf(payload, mapping),
    participants,
    transcript: transcriptOf(mapping, payload),
    consentRecorded: typeof consent === 'boolean' ? consent : null,
  };
}

function transcriptOf(mapping: RecorderMapping, payload: unknown): string {
  const spec = mapping.transcript;
  const value = atPointer(payload, spec.path);
  if (spec.kind === 'text') {
    if (typeof value !== 'string' || value.trim() === '') {
      throw new RecordingMappingError(`transcript (${spec.path}) is missing or not text`);
    }
    return value;
  }
  if (!Array.isArray(value) || value.length === 0) {
    throw new RecordingMappingError(`transcript (${spec.path}) is missing or not a list of segments`);
  }
  const lines = value.flatMap((segment, i) => {
    const text = atPointer(segment, spec.text);
    if (typeof text !== 'string') {
      throw new RecordingMappingError(`transcript.${i}.text (${spec.text}) is missing or not text`);
    }
    const speaker = atPointer(segment, spec.speaker);
    const who =
      typeof speaker === 'string' && speaker.trim() ? speaker.replace(/[\s:]+/g, ' ').trim() : 'Speaker';
    const said = text.replace(/\s+/g, ' ').trim();
    return said ? [`${who}: ${said}`] : [];
  });
  if (lines.length === 0) throw new RecordingMappingError(`transcript (${spec.path}) has no spoken text`);
  return lines.join('\n');
}
