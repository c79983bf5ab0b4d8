import type { FastifyBaseLogger as Logger } from 'fastify';
import { conversationTooLarge } from '../../domain/source/ingest-queue.js';
import { ConversationInputSchema, type ConversationInput } from '../conversation-input.js';
import type { IngestSource } from '../../domain/source/ingest-queue.js';
import { PermanentJobError } from './failure-kinds.js';
import type { GongApi } from '../../adapters/gong/gong-client.js';
import { gongInput } from './gong-input.js';
import type { SalesforceApi } from '../../adapters/salesforce/salesforce-client.js';
import { capturedConversationInput } from './platform-events-input.js';
import { recordingInput, teamsInput, zoomInput, type RecorderClients } from './recorder-input.js';

/**
 * What a queued job becomes before processing: the conversation text and its hints. Each way in
 * adds its case (fetching a Gong transcript, transcribing a memo, reading an event); a case that
 * can never succeed throws PermanentJobError, which the table of conversation failures
 * (domain/conversation-failures.ts) sends dead with that reason.
 */

export interface QueuedConversation {
  id: string;
  source: IngestSource;
  correlationId: string;
  payload: unknown;
  receivedAt: string;
}

/** What resolving may need; each way in adds the client it uses. */
export interface ResolveContext {
  logger: Logger;
  /** Gong's API, for call transcripts; null when GONG_* credentials are not set. */
  gong?: GongApi | null;
  /** The org, for the Conversation__c a platform event announces. */
  salesforce?: SalesforceApi;
  /** SCRIBE_MAX_CONVERSATION_BYTES: text fetched here (a Gong transcript, a Conversation__c) is held to it too. */
  maxConversationBytes?: number;
  /** Zoom's downloads and Graph's client, for the transcripts their webhooks announce. */
  recorders?: RecorderClients | null;
}

function apiInput(payload: unknown): ConversationInput {
  const parsed = ConversationInputSchema.safeParse(payload);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new PermanentJobError(
      'INVALID_PAYLOAD',
      `the stored conversation's ${issue.path.join('.') || 'body'} is not valid: ${issue.message}`,
    );
  }
  return parsed.data;
}

export async function resolveInput(
  job: QueuedConversation,
  context: ResolveContext,
): Promise<ConversationInput> {
  const input = await inputFor(job, context);
  const tooLarge =
    context.maxConversationBytes === undefined
      ? null
      : conversationTooLarge(input.content, context.maxConversationBytes);
  if (tooLarge) throw new PermanentJobError('CONVERSATION_TOO_LARGE', tooLarge);
  return input;
}

async function inputFor(job: QueuedConversation, context: ResolveContext): Promise<ConversationInput> {
  switch (job.source) {
    case 'api':
    case 'voice-memo':
      // A memo is transcribed before it is queued: what is stored is already a note.
      return apiInput(job.payload);
    case 'gong':
      return gongInput(job.payload, context.gong);
    case 'platform-event':
      if (!context.salesforce) {
        throw new PermanentJobError(
          'SOURCE_NOT_SUPPORTED',
          'this process has no org to read captured conversations from',
        );
      }
      return capturedConversationInput(context.salesforce, job.payload);
    case 'zoom':
      return zoomInput(job.payload, recorderClients(context));
    case 'teams':
      return teamsInput(job.payload, recorderClients(context));
    case 'recording':
      return recordingInput(job.payload);
  }
}

function recorderClients(context: ResolveContext): RecorderClients {
  return (
    context.recorders ?? {
      zoom: null,
      teams: null,
      limits: { timeoutMs: 30_000, maxBytes: context.maxConversationBytes ?? 5 * 1024 * 1024 },
    }
  );
}
