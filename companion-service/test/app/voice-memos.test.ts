import { mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { connect } from 'node:net';
import { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import Fastify, { type FastifyInstance } from 'fastify';
import { serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import errors from '../../src/app/plugins/errors.js';
import voiceMemoRoutes from '../../src/app/routes/voice-memos.js';
import { OpenAiTranscriber } from '../../src/adapters/transcription/openai-transcriber.js';
import { PocketsphinxTranscriber } from '../../src/adapters/transcription/pocketsphinx-transcriber.js';
import { TranscriptionError, type Transcriber } from '../../src/adapters/transcription/transcriber.js';
import { loadTranscriptionConfig } from '../../src/config/transcription-config.js';
import { ConversationInputSchema } from '../../src/services/conversation-input.js';
import { MemoryIngestQueue } from '../support/memory-ingest-queue.js';
import {
  startFakeTranscription,
  type FakeTranscriptionServer,
} from '../adapters/transcription/fake-transcription-server.js';

/** Dictated memos: transcribed, queued as notes, and every refusal says what to change. */

const FIXTURE = path.join(
  path.dirname(fileURLToPath(import.meta.url)),
  '../adapters/transcription/fixtures/memo-litware.wav',
);
const pocketsphinx = await PocketsphinxTranscriber.detect(loadTranscriptionConfig({}).pocketsphinx);

let queue: MemoryIngestQueue;
let app: FastifyInstance | null = null;
let endpoint: FakeTranscriptionServer | null = null;
/** Where the route makes each recording's private folder: empty again after every answer. */
let scratchDir: string;

beforeEach(async () => {
  scratchDir = await mkdtemp(path.join(tmpdir(), 'scribe-memo-test-'));
});

async function build(transcriber: Transcriber | null, maxBytes = 1024 * 1024) {
  queue = new MemoryIngestQueue();
  const server = Fastify({ logger: false });
  server.setValidatorCompiler(validatorCompiler);
  server.setSerializerCompiler(serializerCompiler);
  await server.register(errors);
  await server.register(voiceMemoRoutes, { queue, transcriber, maxBytes, scratchDir });
  await server.ready();
  app = server;
  return server;
}

async function withEndpoint(text = 'Spoke with Dana Whitfield at Litware; budget is 80k.') {
  endpoint = await startFakeTranscription(() => ({ text }));
  return build(
    new OpenAiTranscriber({
      baseURL: endpoint.baseURL,
      apiKey: 'sk-local',
      model: 'whisper-1',
      timeoutMs: 5000,
    }),
  );
}

const post = (
  server: FastifyInstance,
  payload: Buffer,
  type = 'audio/wav',
  url = '/v1/voice-memos',
  headers = {},
) => server.inject({ method: 'POST', url, headers: { 'content-type': type, ...headers }, payload });

afterEach(async () => {
  await app?.close();
  await endpoint?.close();
  app = null;
  endpoint = null;
  await rm(scratchDir, { recursive: true, force: true });
});

const leftBehind = () => readdir(scratchDir);

describe('POST /v1/voice-memos', () => {
  it('transcribes the memo, queues it as a note with its metadata and answers 202 with the id and transcript', async () => {
    const server = await withEndpoint();
    const audio = await readFile(FIXTURE);
    const response = await post(
      server,
      audio,
      'audio/wav',
      '/v1/voice-memos?opportunityId=006Dn00000A1b2cIAB&recordedAt=2026-03-12T17:05:00Z',
      { 'idempotency-key': 'memo-2026-03-12-001' },
    );
    expect(response.statusCode).toBe(202);
    const ack = response.json();
    expect(ack).toMatchObject({
      status: 'queued',
      transcript: 'Spoke with Dana Whitfield at Litware; budget is 80k.',
      engine: 'openai (whisper-1)',
    });
    expect(response.headers.location).toBe(`/v1/conversations/${ack.id}`);
    const [job] = queue.jobs;
    expect(job).toMatchObject({ source: 'voice-memo', idempotencyKey: 'memo-2026-03-12-001' });
    // What the worker will process is a valid conversation input as it stands.
    const input = ConversationInputSchema.parse(job!.payload);
    expect(input).toMatchObject({
      source: 'Voice Memo',
      opportunityId: '006Dn00000A1b2cIAB',
      meetingDate: '2026-03-12',
      sourceId: 'voice-memo:memo-2026-03-12-001',
    });
    expect(endpoint!.requests[0]!.bytes.equals(audio)).toBe(true);
  });

  it('takes the same memo twice as one, by Idempotency-Key or by the recording itself', async () => {
    const server = await withEndpoint();
    const audio = await readFile(FIXTURE);
    const first = await post(server, audio);
    const again = await post(server, audio, 'audio/x-wav');
    expect(first.statusCode).toBe(202);
    expect(again.statusCode).toBe(200);
    expect(again.json()).toMatchObject({ status: 'duplicate', id: first.json().id });
    expect(queue.jobs).toHaveLength(1);
  });

  it('refuses the same Idempotency-Key with another recording or other details, naming the key', async () => {
    const server = await withEndpoint();
    const audio = await readFile(FIXTURE);
    const key = { 'idempotency-key': 'memo-2026-03-12-002' };
    const url = '/v1/voice-memos?title=Litware%20call';
    const first = await post(server, audio, 'audio/wav', url, key);
    expect(first.statusCode).toBe(202);
    expect((await post(server, audio, 'audio/x-wav', url, key)).json()).toMatchObject({
      status: 'duplicate',
      id: first.json().id,
    });
    const otherAudio = Buffer.concat([audio, Buffer.alloc(64)]);
    for (const [payload, target] of [
      [otherAudio, url],
      [audio, '/v1/voice-memos?title=Another%20call'],
    ] as const) {
      const clash = await post(server, payload, 'audio/wav', target, key);
      expect(clash.statusCode).toBe(409);
      expect(clash.json().error).toContain('Idempotency-Key "memo-2026-03-12-002"');
      expect(clash.json().error).toContain(first.json().id);
    }
    expect(queue.jobs).toHaveLength(1);
  });

  it('503 saying how to enable transcription when there is no engine', async () => {
    const server = await build(null);
    const response = await post(server, await readFile(FIXTURE));
    expect(response.statusCode).toBe(503);
    expect(response.json().error).toContain('apt-get install pocketsphinx');
    expect(response.json().error).toContain('SCRIBE_TRANSCRIPTION_API_KEY');
    expect(queue.jobs).toHaveLength(0);
  });

  it('refuses what is not a recording, naming the field and the fix', async () => {
    const server = await withEndpoint();
    const json = await server.inject({ method: 'POST', url: '/v1/voice-memos', payload: { text: 'hi' } });
    expect(json.statusCode).toBe(415);
    expect(json.json().error).toContain('audio/wav, audio/mpeg, audio/webm, audio/ogg, audio/mp4');
    const empty = await post(server, Buffer.alloc(0));
    expect(empty.statusCode).toBe(400);
    expect(empty.json().error).toContain('body');
    const badId = await post(
      server,
      Buffer.from('RIFF'),
      'audio/wav',
      '/v1/voice-memos?opportunityId=deal-42',
    );
    expect(badId.statusCode).toBe(400);
    expect(badId.json().error).toContain('opportunityId');
    const badDate = await post(
      server,
      Buffer.from('RIFF'),
      'audio/wav',
      '/v1/voice-memos?recordedAt=yesterday',
    );
    expect(badDate.statusCode).toBe(400);
    expect(badDate.json().error).toContain('recordedAt');
    const badKey = await post(server, Buffer.from('RIFF'), 'audio/wav', '/v1/voice-memos', {
      'idempotency-key': 'has spaces',
    });
    expect(badKey.statusCode).toBe(400);
    expect(badKey.json().error).toContain('idempotency-key');
    expect(queue.jobs).toHaveLength(0);
  });

  it('413 before reading a recording over the limit', async () => {
    endpoint = await startFakeTranscription(() => ({ text: 'x' }));
    const server = await build(
      new OpenAiTranscriber({ baseURL: endpoint.baseURL, apiKey: 'k', model: 'whisper-1', timeoutMs: 5000 }),
      2048,
    );
    const response = await post(server, Buffer.alloc(4096));
    expect(response.statusCode).toBe(413);
    expect(response.json().error).toContain('limit of 2048 bytes');
    expect(endpoint.requests).toHaveLength(0);
  });

  it('422 when nothing was heard, 502 without the engine’s details when it fails', async () => {
    const silent = await withEndpoint('   ');
    const nothing = await post(silent, await readFile(FIXTURE));
    expect(nothing.statusCode).toBe(422);
    expect(nothing.json().error).toContain('no speech');
    await silent.close();
    await endpoint!.close();
    endpoint = await startFakeTranscription(() => ({
      status: 401,
      message: 'Incorrect API key provided: sk-loc***',
    }));
    const server = await build(
      new OpenAiTranscriber({
        baseURL: endpoint.baseURL,
        apiKey: 'sk-local',
        model: 'whisper-1',
        timeoutMs: 5000,
      }),
    );
    const failed = await post(server, await readFile(FIXTURE));
    expect(failed.statusCode).toBe(502);
    expect(failed.json().error).toContain('transcription engine');
    expect(failed.body).not.toContain('sk-loc');
  });

  it('refuses a body sent without a length as soon as it passes the limit, and keeps no part of it', async () => {
    endpoint = await startFakeTranscription(() => ({ text: 'x' }));
    const server = await build(
      new OpenAiTranscriber({ baseURL: endpoint.baseURL, apiKey: 'k', model: 'whisper-1', timeoutMs: 5000 }),
      64 * 1024,
    );
    // Streamed in blocks with no Content-Length: only counting what arrives can stop it.
    const blocks = Array.from({ length: 40 }, () => Buffer.alloc(4096, 1));
    const response = await server.inject({
      method: 'POST',
      url: '/v1/voice-memos',
      headers: { 'content-type': 'audio/wav' },
      payload: Readable.from(blocks),
    });
    expect(response.statusCode).toBe(413);
    expect(response.json().error).toContain('limit of 65536 bytes');
    expect(response.json().error).toContain('SCRIBE_VOICE_MEMO_MAX_BYTES');
    expect(endpoint.requests).toHaveLength(0);
    expect(queue.jobs).toHaveLength(0);
    expect(await leftBehind()).toEqual([]);
  });

  it('hands the engine a private file (0600 in a 0700 folder) and removes it after every answer', async () => {
    const seen: { file: number; folder: number; bytes: number }[] = [];
    let answer: () => string = () => 'Budget is 80k.';
    const server = await build({
      name: 'inspecting',
      async transcribe(file) {
        seen.push({
          file: (await stat(file)).mode & 0o777,
          folder: (await stat(path.dirname(file))).mode & 0o777,
          bytes: (await stat(file)).size,
        });
        return answer();
      },
    });
    const audio = await readFile(FIXTURE);
    expect((await post(server, audio)).statusCode).toBe(202);
    expect(seen).toEqual([{ file: 0o600, folder: 0o700, bytes: audio.length }]);
    expect(await leftBehind()).toEqual([]);
    answer = () => {
      throw new TranscriptionError('engine', 'the engine is down');
    };
    expect((await post(server, Buffer.concat([audio, Buffer.alloc(2)]))).statusCode).toBe(502);
    expect(await leftBehind()).toEqual([]);
    answer = () => {
      throw new Error('a bug in an engine');
    };
    expect((await post(server, Buffer.concat([audio, Buffer.alloc(4)]))).statusCode).toBe(500);
    expect(await leftBehind()).toEqual([]);
  });

  it('keeps nothing of a recording whose sender goes away before it ends', async () => {
    let transcribed = 0;
    const server = await build({ name: 'counting', transcribe: async () => `memo ${++transcribed}` });
    const url = await server.listen({ host: '127.0.0.1', port: 0 });
    const { port } = new URL(url);
    // A real connection: half a recording is sent, then the socket is cut.
    const socket = connect(Number(port), '127.0.0.1');
    await new Promise((resolve) => socket.once('connect', resolve));
    socket.write(
      'POST /v1/voice-memos HTTP/1.1\r\nHost: localhost\r\nContent-Type: audio/wav\r\nContent-Length: 200000\r\n\r\n',
    );
    socket.write(Buffer.alloc(100_000, 1));
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect((await leftBehind()).length).toBe(1);
    socket.destroy();
    for (let i = 0; i < 50 && (await leftBehind()).length > 0; i++) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    expect(await leftBehind()).toEqual([]);
    expect(transcribed).toBe(0);
    expect(queue.jobs).toHaveLength(0);
  });

  it.skipIf(!pocketsphinx)(
    'transcribes offline with pocketsphinx when no endpoint is configured',
    async () => {
      const server = await build(pocketsphinx);
      const response = await post(server, await readFile(FIXTURE));
      expect(response.statusCode).toBe(202);
      expect(response.json()).toMatchObject({ engine: 'pocketsphinx' });
      expect(response.json().transcript).toContain('eighty thousand dollars');
    },
    60_000,
  );
});
