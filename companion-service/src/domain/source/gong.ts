import { z } from 'zod';
import type { Conversation, Participant, Utterance } from './conversation.js';
import { SourceFormatError } from './conversation.js';

/**
 * Gong: the /v2/calls/transcript response, optionally with the call's parties (and metaData/context)
 * from /v2/calls/extensive, in one object. The normalized text renders a participants header (the
 * only place a silent party appears) and then one "Name: sentences" line per monologue.
 */
const SentenceSchema = z.object({
  start: z.number().optional(),
  end: z.number().optional(),
  text: z.string(),
});
const MonologueSchema = z.object({
  speakerId: z.union([z.string(), z.number()]).transform(String).nullish(),
  topic: z.string().nullish(),
  sentences: z.array(SentenceSchema),
});
const CallTranscriptSchema = z.object({
  callId: z.union([z.string(), z.number()]).transform(String).nullish(),
  transcript: z.array(MonologueSchema),
});
const PartySchema = z.object({
  id: z.union([z.string(), z.number()]).transform(String).nullish(),
  name: z.string().nullish(),
  title: z.string().nullish(),
  emailAddress: z.string().nullish(),
  speakerId: z.union([z.string(), z.number()]).transform(String).nullish(),
  affiliation: z.string().nullish(),
  phoneNumber: z.string().nullish(),
});
const ContextSchema = z.object({
  system: z.string().nullish(),
  objects: z
    .array(
      z.object({
        objectType: z.string().nullish(),
        objectId: z.string().nullish(),
        fields: z.array(z.object({ name: z.string(), value: z.unknown() })).nullish(),
      }),
    )
    .nullish(),
});
const MetaDataSchema = z.object({
  id: z.union([z.string(), z.number()]).transform(String).nullish(),
  title: z.string().nullish(),
  started: z.string().nullish(),
  scheduled: z.string().nullish(),
  /** Seconds, as Gong's /v2/calls gives it. */
  duration: z.number().nonnegative().nullish().catch(null),
});
const CallSchema = z.object({
  metaData: MetaDataSchema.nullish(),
  parties: z.array(PartySchema).nullish(),
  context: z.array(ContextSchema).nullish(),
});
export const GongTranscriptInputSchema = z.object({
  callTranscripts: z.array(CallTranscriptSchema).min(1, 'callTranscripts holds no call'),
  parties: z.array(PartySchema).nullish(),
  metaData: MetaDataSchema.nullish(),
  context: z.array(ContextSchema).nullish(),
  calls: z.array(CallSchema).nullish(),
});
export type GongTranscriptInput = z.infer<typeof GongTranscriptInputSchema>;

type Party = z.infer<typeof PartySchema>;

function affiliationOf(party: Party): Participant['affiliation'] {
  const a = party.affiliation?.toLowerCase();
  if (a === 'internal') return 'seller';
  if (a === 'external') return 'customer';
  return null;
}

export function parseGong(json: unknown): Conversation {
  const parsed = GongTranscriptInputSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new SourceFormatError(
      `Gong JSON: ${issue.path.join('.') || 'body'}: ${issue.message} (expected the /v2/calls/transcript response with callTranscripts[].transcript[].sentences[])`,
    );
  }
  const input = parsed.data;
  const call = input.callTranscripts[0]!;
  const extensive =
    input.calls?.find((c) => !call.callId || c.metaData?.id === call.callId) ?? input.calls?.[0];
  const parties = input.parties ?? extensive?.parties ?? [];
  const metaData = input.metaData ?? extensive?.metaData ?? null;
  const context = input.context ?? extensive?.context ?? [];

  const bySpeaker = new Map<string, Party>();
  for (const p of parties) if (p.speakerId) bySpeaker.set(p.speakerId, p);
  const labelOf = (speakerId: string | null | undefined) => {
    const p = speakerId ? bySpeaker.get(speakerId) : undefined;
    return p?.name?.trim() || (speakerId ? `Speaker ${speakerId}` : 'Unknown speaker');
  };

  let text = '';
  const participants: Participant[] = [];
  if (metaData?.title) text += `Call: ${metaData.title}\n`;
  const named = parties.filter((p) => p.name?.trim());
  if (named.length > 0) {
    text += 'Participants:\n';
    for (const p of named) {
      const lineStart = text.length;
      const name = p.name!.trim();
      const side = p.affiliation ? ` [${p.affiliation}]` : '';
      text += `- ${name}${p.title ? `, ${p.title.trim()}` : ''}${side}\n`;
      participants.push({
        name,
        title: p.title?.trim() || null,
        email: p.emailAddress?.toLowerCase() ?? null,
        company: null,
        affiliation: affiliationOf(p),
        speakerLabel: p.speakerId ? name : null,
        evidenceStart: lineStart + 2,
        evidenceEnd: lineStart + 2 + name.length + (p.title ? 2 + p.title.trim().length : 0),
      });
    }
    text += '\n';
  }
  const utterances: Utterance[] = [];
  for (const monologue of call.transcript) {
    const sentences = monologue.sentences.map((s) => s.text.trim()).filter(Boolean);
    if (sentences.length === 0) continue;
    const speaker = labelOf(monologue.speakerId);
    text += `${speaker}: `;
    const start = text.length;
    text += sentences.join(' ');
    utterances.push({ speaker, start, end: text.length, quoted: false });
    text += '\n';
    if (!participants.some((p) => p.speakerLabel === speaker)) {
      participants.push({
        name: speaker,
        title: null,
        email: null,
        company: null,
        affiliation: null,
        speakerLabel: speaker,
        evidenceStart: null,
        evidenceEnd: null,
      });
    }
  }
  if (utterances.length === 0) throw new SourceFormatError('Gong JSON: the transcript has no sentences');

  const sfObjects = context
    .filter((c) => c.system?.toLowerCase() === 'salesforce')
    .flatMap((c) => c.objects ?? []);
  const opp = sfObjects.find((o) => o.objectType === 'Opportunity');
  const account = sfObjects.find((o) => o.objectType === 'Account');
  const stage = opp?.fields?.find((f) => f.name === 'StageName')?.value;
  const started = metaData?.started ?? metaData?.scheduled ?? null;
  return {
    format: 'gong',
    text,
    utterances,
    participants,
    meetingDate: started && !Number.isNaN(Date.parse(started)) ? started.slice(0, 10) : null,
    timing:
      metaData?.started && metaData.duration && !Number.isNaN(Date.parse(metaData.started))
        ? { start: new Date(metaData.started).toISOString(), minutes: Math.ceil(metaData.duration / 60) }
        : null,
    subject: metaData?.title ?? null,
    crmContext:
      opp || account
        ? {
            opportunityId: opp?.objectId ?? null,
            accountId: account?.objectId ?? null,
            stageName: typeof stage === 'string' ? stage : null,
          }
        : null,
  };
}
