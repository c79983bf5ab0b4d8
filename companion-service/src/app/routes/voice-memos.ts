import { randomUUID } from 'node:crypto';
import { tmpdir } from 'node:os';
import type { Readable } from 'node:stream';
import { DEFAULT_LIMITS } from '../../config/limits-config.js';
import { conversationTooLarge } from '../../domain/source/ingest-queue.js';
import type { FastifyBaseLogger } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { IngestQueue } from '../../domain/source/ingest-queue.js';
import { binaryFingerprint, type BinaryFingerprint } from '../../domain/source/request-fingerprint.js';
import { NO_TRANSCRIBER } from '../../adapters/transcription/choose-transcriber.js';
import {
  AUDIO_TYPE_ALIASES,
  AUDIO_TYPES,
  TranscriptionError,
  type AudioType,
  type Transcriber,
} from '../../adapters/transcription/transcriber.js';
import { ErrorSchema } from '../schemas/conversation.js';
import {
  VoiceMemoAckSchema,
  VoiceMemoHeadersSchema,
  VoiceMemoQuerySchema,
  type VoiceMemoAck,
  type VoiceMemoQuery,
} from '../schemas/voice-memo.js';
import { megabytes, refuseOversize } from './body-limit.js';
import {
  RecordingTooLarge,
  withRecording,
  type Recording,
} from '../../adapters/transcription/recording-file.js';

/**
 * POST /v1/voice-memos: a rep's dictated note. The recording is transcribed while the caller waits
 * (so the answer can show what was heard), then queued as a note; 202 with the conversation id and
 * the transcript once the job is stored. The recording goes to a private temporary file as it
 * arrives, hashed on the way, and is gone when the answer is sent: a memo costs the service a few
 * blocks of memory however long it is. The same Idempotency-Key with the same recording, or the
 * same recording without a key, is the same memo; the same key with another recording is a 409.
 */

export interface VoiceMemoOptions {
  queue: IngestQueue;
  transcriber: Transcriber | null;
  maxBytes: number;
  /** SCRIBE_MAX_CONVERSATION_BYTES, for the transcript. */
  maxConversationBytes?: number;
  /** Where each recording's private folder is made while it is transcribed; the system's by default. */
  scratchDir?: string;
}

const ACCEPTED = AUDIO_TYPES.join(', ');

/** A memo as the request describes it, beside its recording. */
interface Memo {
  type: AudioType;
  fingerprint: BinaryFingerprint | null;
  clientKey: string | undefined;
  query: VoiceMemoQuery;
  log: FastifyBaseLogger;
  requestId: string;
}

interface Answer {
  status: 200 | 202 | 400 | 413 | 422 | 502;
  body: VoiceMemoAck | { error: string; requestId?: string };
  location?: string;
}

function audioType(contentType: string | undefined): AudioType | null {
  const base = (contentType ?? '').split(';')[0]!.trim().toLowerCase();
  if ((AUDIO_TYPES as readonly string[]).includes(base)) return base as AudioType;
  return AUDIO_TYPE_ALIASES[base] ?? null;
}

const voiceMemoRoutes: FastifyPluginAsyncZod<VoiceMemoOptions> = async (
  app,
  {
    queue,
    transcriber,
    maxBytes,
    maxConversationBytes = DEFAULT_LIMITS.maxConversationBytes,
    scratchDir = tmpdir(),
  },
) => {
  const fix = `send a memo under ${megabytes(maxBytes)} (about ten minutes of speech), or split it; the limit is SCRIBE_VOICE_MEMO_MAX_BYTES`;
  // A declared length over the limit is refused before a byte is read; a body sent without one is
  // counted as it is written to disk, and refused when it passes the limit.
  refuseOversize(app, maxBytes, fix);

  app.removeAllContentTypeParsers();
  // The body stays a stream: the handler writes it to disk, never to memory.
  app.addContentTypeParser([...AUDIO_TYPES, ...Object.keys(AUDIO_TYPE_ALIASES)], (_request, body, done) =>
    done(null, body),
  );
  app.addContentTypeParser('*', (request, _payload, done) => {
    const sent = request.headers['content-type']
      ? `Content-Type ${request.headers['content-type']}`
      : 'no Content-Type';
    done(
      Object.assign(
        new Error(`content-type: ${sent} is not a recording; send the audio as one of ${ACCEPTED}`),
        { statusCode: 415 },
      ),
    );
  });

  /** What to answer for a recording now on disk: transcribed, then queued. */
  async function hear(
    recording: Recording,
    transcriber: Transcriber,
    { type, fingerprint, clientKey, query, log, requestId }: Memo,
  ): Promise<Answer> {
    if (recording.bytes === 0) {
      return {
        status: 400,
        body: { error: 'body: the recording is empty; send the audio bytes as the body' },
      };
    }
    let transcript: string;
    try {
      transcript = await transcriber.transcribe(recording.path, type);
    } catch (error) {
      if (!(error instanceof TranscriptionError)) throw error;
      if (error.kind === 'audio')
        return { status: 422, body: { error: `body: the recording cannot be read: ${error.message}` } };
      log.error({ engine: transcriber.name, err: error }, 'transcription failed');
      return {
        status: 502,
        body: {
          error: `the transcription engine (${transcriber.name}) failed; the service log has the details under this request id`,
          requestId,
        },
      };
    }
    if (!transcript) {
      return {
        status: 422,
        body: {
          error: 'body: no speech was recognised in the recording; record again closer to the microphone',
        },
      };
    }
    const tooLarge = conversationTooLarge(transcript, maxConversationBytes);
    if (tooLarge) return { status: 413, body: { error: `the memo's transcript: ${tooLarge}` } };

    const { opportunityId, recordedAt, title } = query;
    const key = clientKey ?? `sha256:${recording.sha256}`;
    const result = await queue.enqueue({
      source: 'voice-memo',
      idempotencyKey: key,
      ...(fingerprint ? { requestHash: fingerprint.digest() } : {}),
      correlationId: randomUUID(),
      payload: {
        content: transcript,
        source: 'Voice Memo',
        sourceId: `voice-memo:${key.slice(0, 189)}`,
        ...(opportunityId ? { opportunityId } : {}),
        ...(recordedAt ? { meetingDate: recordedAt.slice(0, 10) } : {}),
        ...(title ? { title } : {}),
      },
      receivedAt: new Date().toISOString(),
    });
    return {
      status: result.duplicate ? 200 : 202,
      location: `/v1/conversations/${result.conversationId}`,
      body: {
        id: result.conversationId,
        status: result.duplicate ? 'duplicate' : 'queued',
        transcript,
        engine: transcriber.name,
      },
    };
  }

  app.post(
    '/v1/voice-memos',
    {
      bodyLimit: maxBytes,
      config: { ingest: true },
      schema: {
        querystring: VoiceMemoQuerySchema,
        headers: VoiceMemoHeadersSchema,
        response: {
          200: VoiceMemoAckSchema,
          202: VoiceMemoAckSchema,
          400: ErrorSchema,
          409: ErrorSchema,
          413: ErrorSchema,
          415: ErrorSchema,
          422: ErrorSchema,
          502: ErrorSchema,
          503: ErrorSchema,
        },
      },
    },
    async (request, reply) => {
      const type = audioType(request.headers['content-type']);
      if (!type) {
        return reply.code(415).send({ error: `content-type: send the audio as one of ${ACCEPTED}` });
      }
      const body = request.body as Readable | undefined;
      if (!body) {
        return reply
          .code(400)
          .send({ error: 'body: the recording is empty; send the audio bytes as the body' });
      }
      if (!transcriber) return reply.code(503).send({ error: NO_TRANSCRIBER });

      const clientKey = request.headers['idempotency-key'];
      const { opportunityId, recordedAt, title } = request.query;
      // The memo is its recording and what the query says about it.
      const fingerprint = clientKey ? binaryFingerprint({ type, opportunityId, recordedAt, title }) : null;
      let answer: Answer;
      try {
        answer = await withRecording(
          body,
          { parentDir: scratchDir, maxBytes, onBytes: (block) => fingerprint?.update(block) },
          (recording) =>
            hear(recording, transcriber, {
              type,
              fingerprint,
              clientKey,
              query: request.query,
              log: request.log,
              requestId: request.id,
            }),
        );
      } catch (error) {
        if (!(error instanceof RecordingTooLarge)) throw error;
        // The rest of the body is being read and dropped; the connection is not kept for another request.
        reply.header('connection', 'close');
        answer = {
          status: 413,
          body: { error: `the body is over this endpoint's limit of ${maxBytes} bytes: ${fix}` },
        };
      }
      // Answered only once the recording's folder is gone.
      if (answer.location) reply.header('Location', answer.location);
      return reply.code(answer.status).send(answer.body);
    },
  );
};

export default voiceMemoRoutes;
