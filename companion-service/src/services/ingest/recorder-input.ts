import { createHash } from 'node:crypto';
import type { ConversationInput } from '../conversation-input.js';
import { ZoomJobSchema } from '../../adapters/recorders/zoom-payload.js';
import { TeamsJobSchema } from '../../adapters/recorders/graph-notifications.js';
import {
  downloadZoomTranscript,
  TranscriptDownloadError,
  type DownloadLimits,
  type GraphTranscripts,
} from '../../adapters/recorders/transcript-download.js';
import { RecordingJobSchema } from '../../domain/privacy/recording-consent.js';
import type { ConsentPlatform } from '../../domain/privacy/recording-consent.js';
import { parseSubtitles } from '../../domain/source/subtitles.js';
import { meetingConsent, type MeetingConsentDeps } from './meeting-consent.js';
import { PermanentJobError, TransientSalesforceError } from './failure-kinds.js';

/**
 * Queued Zoom, Teams and recorder jobs become conversations: Zoom's and Teams' WebVTT transcripts are
 * downloaded now (the webhook only announced them), a recorder's came in its payload. Each gets a
 * source id of its own recorder's id, so the same meeting is always the same Conversation__c, and a
 * recording held for consent goes dead with the reason until an admin releases it. Zoom's and Teams'
 * consent is judged once the transcript is in hand, since its speakers are who the org is asked about.
 */

export interface RecorderClients {
  zoom: { allowedOrigin: string } | null;
  teams: GraphTranscripts | null;
  limits: DownloadLimits;
  /** The consent rules and the org's people, for Zoom and Teams meetings; unset, they are not processed. */
  consent?: MeetingConsentDeps | null;
}

/** Recorder ids carry '/', '+' and '=' (Zoom's UUIDs, Graph's base64 ids): a digest fits an external id. */
const idOf = (prefix: string, id: string) =>
  `${prefix}:${createHash('sha256').update(id).digest('hex').slice(0, 32)}`;

const title = (text: string | null | undefined) => (text ? text.slice(0, 80) : undefined);
const day = (iso: string | null | undefined) =>
  iso && /^\d{4}-\d{2}-\d{2}/.test(iso) ? iso.slice(0, 10) : undefined;

function invalid(source: string, issue: { path: PropertyKey[]; message: string }): never {
  throw new PermanentJobError(
    'INVALID_PAYLOAD',
    `the stored ${source} job's ${issue.path.map(String).join('.') || 'payload'} is not valid: ${issue.message}`,
  );
}

function failed(error: unknown, prefix: string): never {
  if (error instanceof TranscriptDownloadError) {
    const code = error.status ? `${prefix}_HTTP_${error.status}` : `${prefix}_UNREACHABLE`;
    if (error.transient) throw new TransientSalesforceError(code, error.message);
    throw new PermanentJobError(error.status ? code : `${prefix}_DOWNLOAD_REFUSED`, error.message);
  }
  throw error;
}

export async function zoomInput(payload: unknown, clients: RecorderClients): Promise<ConversationInput> {
  const parsed = ZoomJobSchema.safeParse(payload);
  if (!parsed.success) invalid('Zoom', parsed.error.issues[0]!);
  const job = parsed.data;
  if (!clients.zoom) {
    throw new PermanentJobError(
      'ZOOM_NOT_CONFIGURED',
      'the Zoom transcript cannot be fetched: set ZOOM_WEBHOOK_SECRET_TOKEN, restart, then re-drive this conversation',
    );
  }
  let vtt: string;
  try {
    vtt = await downloadZoomTranscript(
      job.downloadUrl,
      job.downloadToken,
      clients.zoom.allowedOrigin,
      clients.limits,
    );
  } catch (error) {
    failed(error, 'ZOOM');
  }
  await checkConsent('zoom', job, { emails: job.hostEmail ? [job.hostEmail] : [], vtt }, clients);
  return {
    content: vtt,
    formatIn: 'vtt',
    sourceId: idOf('zoom', job.transcriptFileId),
    source: 'Meeting',
    title: title(job.topic),
    meetingDate: day(job.startTime),
  };
}

export async function teamsInput(payload: unknown, clients: RecorderClients): Promise<ConversationInput> {
  const parsed = TeamsJobSchema.safeParse(payload);
  if (!parsed.success) invalid('Teams', parsed.error.issues[0]!);
  const job = parsed.data;
  if (!clients.teams) {
    throw new PermanentJobError(
      'TEAMS_NOT_CONFIGURED',
      'the Teams transcript cannot be fetched: set TEAMS_TENANT_ID, TEAMS_CLIENT_ID and TEAMS_CLIENT_SECRET, restart, then re-drive this conversation',
    );
  }
  let vtt: string;
  try {
    vtt = await clients.teams.transcript(job.transcriptPath);
  } catch (error) {
    failed(error, 'GRAPH');
  }
  await checkConsent('teams', job, { emails: [], vtt }, clients);
  return { content: vtt, formatIn: 'vtt', sourceId: idOf('teams', job.transcriptId), source: 'Meeting' };
}

/** The transcript's speakers, as the org's Contacts are named. */
function speakersOf(vtt: string): string[] {
  const speakers = parseSubtitles(vtt).utterances.map((u) => u.speaker);
  return [...new Set(speakers.filter((s): s is string => Boolean(s)))];
}

/**
 * Held (dead with CONSENT_HELD, listed for the admin) or dropped (dead with CONSENT_DROPPED: the
 * transcript was only ever in memory) when a participant the org knows is in an all-party-consent
 * jurisdiction; a meeting an admin released is not judged again.
 */
async function checkConsent(
  platform: ConsentPlatform,
  job: { consent?: { action: 'process' } },
  meeting: { emails: string[]; vtt: string },
  clients: RecorderClients,
): Promise<void> {
  if (job.consent?.action === 'process') return;
  if (!clients.consent) {
    throw new PermanentJobError(
      'CONSENT_UNCHECKED',
      'this process has no org to check recording consent against; re-drive the conversation from a service connected to the org',
    );
  }
  let decision;
  try {
    decision = await meetingConsent(
      platform,
      { emails: meeting.emails, names: speakersOf(meeting.vtt) },
      clients.consent,
      Date.now(),
    );
  } catch (error) {
    if (error instanceof PermanentJobError || error instanceof TransientSalesforceError) throw error;
    // The org could not say where the people are: tried again later, never processed unchecked. Only
    // Salesforce's error code is kept: the message may quote the query, which names the people.
    const code = (error as { errorCode?: unknown }).errorCode;
    throw new TransientSalesforceError(
      'CONSENT_LOOKUP_FAILED',
      `the meeting's participants could not be looked up in the org to check recording consent (${typeof code === 'string' ? code : 'unexpected answer'}); the integration user needs read access to Contact's Email and Mailing Address`,
    );
  }
  if (decision.action === 'hold') throw new PermanentJobError('CONSENT_HELD', decision.reason);
  if (decision.action === 'drop') throw new PermanentJobError('CONSENT_DROPPED', decision.reason);
}

export function recordingInput(payload: unknown): ConversationInput {
  const parsed = RecordingJobSchema.safeParse(payload);
  if (!parsed.success) invalid('recording', parsed.error.issues[0]!);
  const { recording, consent } = parsed.data;
  if (consent.action === 'hold') {
    throw new PermanentJobError('CONSENT_HELD', consent.reason);
  }
  return {
    content: recording.transcript,
    formatIn: 'transcript',
    sourceId: idOf(recording.tool, recording.externalId),
    source: 'Meeting',
    title: title(recording.title),
    meetingDate: day(recording.startedAt),
  };
}
