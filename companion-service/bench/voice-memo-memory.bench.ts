/**
 * `npm run bench:voice-memo` (and the last lines of `npm run bench:hostile`): how much memory one
 * 25 MB voice memo adds to the service, sent as a stream to POST /v1/voice-memos and transcribed,
 * through an OpenAI-compatible endpoint on loopback that keeps nothing (so only the service's side
 * is counted) and, where it is installed, through pocketsphinx. Prints the peak RSS growth during
 * the request (MEMO_MB=90 for another size); asserts nothing (test/app/voice-memo-memory.test.ts holds the bound). Run with
 * --expose-gc for a baseline without earlier garbage.
 */
import { createReadStream } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Fastify from 'fastify';
import { serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import errors from '../src/app/plugins/errors.js';
import voiceMemoRoutes from '../src/app/routes/voice-memos.js';
import { OpenAiTranscriber } from '../src/adapters/transcription/openai-transcriber.js';
import { PocketsphinxTranscriber } from '../src/adapters/transcription/pocketsphinx-transcriber.js';
import type { Transcriber } from '../src/adapters/transcription/transcriber.js';
import { loadTranscriptionConfig } from '../src/config/transcription-config.js';
import { MemoryIngestQueue } from '../test/support/memory-ingest-queue.js';
import { startCountingTranscription } from '../test/adapters/transcription/fake-transcription-server.js';
import { readMonoPcm16, writeLargeWav, type WavShape } from '../test/support/wav-files.js';
import { Resampler } from '../src/adapters/transcription/wav.js';
import { mb, peakRssGrowth } from '../test/support/peak-memory.js';

const FIXTURE = new URL('../test/adapters/transcription/fixtures/memo-litware.wav', import.meta.url);
const MEMO_BYTES = Number(process.env.MEMO_MB ?? 25) * 1024 * 1024;

async function memoPeak(
  transcriber: Transcriber,
  shape: WavShape,
  speech?: Float32Array,
): Promise<{ status: number; growthMb: number }> {
  const dir = await mkdtemp(path.join(tmpdir(), 'scribe-bench-memo-'));
  const file = path.join(dir, 'memo.wav');
  await writeLargeWav(file, MEMO_BYTES, shape, speech);
  const server = Fastify({ logger: false });
  server.setValidatorCompiler(validatorCompiler);
  server.setSerializerCompiler(serializerCompiler);
  await server.register(errors);
  await server.register(voiceMemoRoutes, {
    queue: new MemoryIngestQueue(),
    transcriber,
    maxBytes: MEMO_BYTES + 1024 * 1024,
  });
  await server.ready();
  try {
    const { result, growthBytes } = await peakRssGrowth(() =>
      server.inject({
        method: 'POST',
        url: '/v1/voice-memos',
        headers: { 'content-type': 'audio/wav' },
        payload: createReadStream(file),
      }),
    );
    return { status: result.statusCode, growthMb: mb(growthBytes) };
  } finally {
    await server.close();
    await rm(dir, { recursive: true, force: true });
  }
}

const endpoint = await startCountingTranscription('Spoke with Dana at Litware; budget is 80k.');
try {
  const openai = await memoPeak(
    new OpenAiTranscriber({
      baseURL: endpoint.baseURL,
      apiKey: 'sk-local',
      model: 'whisper-1',
      timeoutMs: 60_000,
    }),
    { sampleRate: 44_100, channels: 2, bits: 16 },
  );
  console.log(
    `voice memo ${mb(MEMO_BYTES)} MB: peak RSS +${openai.growthMb} MB (sent to an OpenAI-compatible endpoint, HTTP ${openai.status}, ${mb(endpoint.bodies[0] ?? 0)} MB uploaded; the bound is 100 MB)`,
  );
} finally {
  await endpoint.close();
}

const pocketsphinx = await PocketsphinxTranscriber.detect(loadTranscriptionConfig({}).pocketsphinx);
if (pocketsphinx) {
  // 192 kHz stereo float: 25 MB is 16 seconds, which the recogniser hears in a few; the dictated
  // memo of the tests opens it.
  const upsampler = new Resampler(16_000, 192_000);
  const { samples } = readMonoPcm16(await readFile(FIXTURE));
  const speech = Float32Array.from([...upsampler.push(samples), ...upsampler.end()]);
  const offline = await memoPeak(pocketsphinx, { sampleRate: 192_000, channels: 2, bits: 'float' }, speech);
  console.log(
    `voice memo ${mb(MEMO_BYTES)} MB, 192 kHz stereo float WAV, pocketsphinx: peak RSS +${offline.growthMb} MB (HTTP ${offline.status})`,
  );
} else {
  console.log(
    'voice memo with pocketsphinx: not installed here (apt-get install pocketsphinx pocketsphinx-en-us)',
  );
}
