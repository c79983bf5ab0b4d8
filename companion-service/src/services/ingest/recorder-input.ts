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
import { PermanentJobError, TransientSalesforceError } from './failure-kinds.js';

/**
 * Queued Zoom, Teams and recorder jobs become conversations: Zoom's and Teams' WebVTT transcripts are
 * downloaded now (the webhook only announced them), a recorder's came in its payload. Each gets a
 * source id of its own recorder's id, so the same meeting is always the same Conversation__c, and a
 * recording held for consent goes dead with the reason until an admin releases it.
 */

export interface RecorderClients {
  zoom: { allowedOrigin: string } | null;
  teams: GraphTranscripts | null;
  limits: DownloadLimits;
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
  return { content: vtt, formatIn: 'vtt', sourceId: idOf('teams', job.transcriptId), source: 'Meeting' };
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
