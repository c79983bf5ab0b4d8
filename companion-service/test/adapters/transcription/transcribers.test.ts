import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { OpenAiTranscriber } from '../../../src/adapters/transcription/openai-transcriber.js';
import { PocketsphinxTranscriber } from '../../../src/adapters/transcription/pocketsphinx-transcriber.js';
import { chooseTranscriber } from '../../../src/adapters/transcription/choose-transcriber.js';
import { TranscriptionError } from '../../../src/adapters/transcription/transcriber.js';
import { decodeWav, encodeWav16, resample, toSpeechWav } from '../../../src/adapters/transcription/wav.js';
import { loadTranscriptionConfig } from '../../../src/config/transcription-config.js';
import { startFakeTranscription, type FakeTranscriptionServer } from './fake-transcription-server.js';

/**
 * Transcription engines for real: the OpenAI SDK against a local OpenAI-compatible endpoint over
 * loopback, and Debian's pocketsphinx on a recorded memo (skipped, and said so, where it is not installed).
 */

const FIXTURE = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures', 'memo-litware.wav');
const pocketsphinxSettings = loadTranscriptionConfig({}).pocketsphinx;
const pocketsphinx = await PocketsphinxTranscriber.detect(pocketsphinxSettings);

let endpoint: FakeTranscriptionServer | null = null;
afterEach(async () => {
  await endpoint?.close();
  endpoint = null;
});

describe('OpenAiTranscriber', () => {
  it('sends the recording and the model as the SDK does, and returns the text', async () => {
    endpoint = await startFakeTranscription(() => ({ text: ' Spoke with Dana at Litware. ' }));
    const audio = await readFile(FIXTURE);
    const transcriber = new OpenAiTranscriber({
      baseURL: endpoint.baseURL,
      apiKey: 'sk-local',
      model: 'whisper-1',
      timeoutMs: 5000,
    });
    expect(await transcriber.transcribe(audio, 'audio/wav')).toBe('Spoke with Dana at Litware.');
    const [request] = endpoint.requests;
    expect(request).toMatchObject({
      model: 'whisper-1',
      fileName: 'memo.wav',
      fileType: 'audio/wav',
      authorization: 'Bearer sk-local',
    });
    expect(request!.bytes.equals(audio)).toBe(true);
  });

  it('tells an unreadable recording (400) from an engine that failed', async () => {
    endpoint = await startFakeTranscription((r) =>
      r.fileType === 'audio/ogg'
        ? { status: 400, message: 'Invalid file format.' }
        : { status: 401, message: 'Incorrect API key provided' },
    );
    const transcriber = new OpenAiTranscriber({
      baseURL: endpoint.baseURL,
      apiKey: 'sk-wrong',
      model: 'whisper-1',
      timeoutMs: 5000,
    });
    const unreadable = (await transcriber
      .transcribe(Buffer.from('OggS'), 'audio/ogg')
      .catch((e: unknown) => e)) as TranscriptionError;
    expect(unreadable.kind).toBe('audio');
    expect(unreadable.message).toContain('Invalid file format');
    const refused = (await transcriber
      .transcribe(Buffer.from('RIFF'), 'audio/wav')
      .catch((e: unknown) => e)) as TranscriptionError;
    expect(refused.kind).toBe('engine');
    expect(refused.message).toContain('HTTP 401');
  });
});

describe('choosing an engine', () => {
  it('takes the endpoint when a key is set, pocketsphinx when installed, and none when off', async () => {
    expect((await chooseTranscriber(loadTranscriptionConfig({ OPENAI_API_KEY: 'sk-x' })))?.name).toBe(
      'openai (whisper-1)',
    );
    expect(
      await chooseTranscriber(
        loadTranscriptionConfig({ SCRIBE_TRANSCRIPTION: 'off', OPENAI_API_KEY: 'sk-x' }),
      ),
    ).toBeNull();
    expect(
      await chooseTranscriber(
        loadTranscriptionConfig({ SCRIBE_POCKETSPHINX_BIN: '/nonexistent/pocketsphinx_continuous' }),
      ),
    ).toBeNull();
    expect(() => loadTranscriptionConfig({ SCRIBE_TRANSCRIPTION: 'openai' })).toThrow(
      /SCRIBE_TRANSCRIPTION_API_KEY/,
    );
  });
});

describe('WAV conversion for the offline recogniser', () => {
  it('downmixes and resamples any PCM WAV to 16 kHz mono, keeping the signal', () => {
    const rate = 44_100;
    const tone = Float32Array.from(
      { length: rate },
      (_, i) => 0.5 * Math.sin((2 * Math.PI * 440 * i) / rate),
    );
    // A stereo 24-bit file built by hand: both channels carry the tone.
    const frames = tone.length;
    const data = Buffer.alloc(frames * 6);
    tone.forEach((s, i) => {
      data.writeIntLE(Math.round(s * 8388607), i * 6, 3);
      data.writeIntLE(Math.round(s * 8388607), i * 6 + 3, 3);
    });
    const header = Buffer.alloc(44);
    header.write('RIFF', 0, 'ascii');
    header.writeUInt32LE(36 + data.length, 4);
    header.write('WAVEfmt ', 8, 'ascii');
    header.writeUInt32LE(16, 16);
    header.writeUInt16LE(1, 20);
    header.writeUInt16LE(2, 22);
    header.writeUInt32LE(rate, 24);
    header.writeUInt32LE(rate * 6, 28);
    header.writeUInt16LE(6, 32);
    header.writeUInt16LE(24, 34);
    header.write('data', 36, 'ascii');
    header.writeUInt32LE(data.length, 40);
    const { wav, seconds } = toSpeechWav(Buffer.concat([header, data]));
    expect(seconds).toBeCloseTo(1, 2);
    const decoded = decodeWav(wav);
    expect(decoded.sampleRate).toBe(16_000);
    const peak = decoded.samples.reduce((m, s) => Math.max(m, Math.abs(s)), 0);
    expect(peak).toBeGreaterThan(0.45);
    expect(peak).toBeLessThan(0.55);
  });

  it('refuses what is not PCM WAV with the reason', () => {
    expect(() => decodeWav(Buffer.from('ID3\u0003 an mp3'))).toThrow(/not a WAV file/);
    const adpcm = encodeWav16(new Float32Array(10), 16_000);
    adpcm.writeUInt16LE(2, 20);
    expect(() => decodeWav(adpcm)).toThrow(/compressed/);
  });

  it('upsamples by interpolation', () => {
    expect(Array.from(resample(Float32Array.from([0, 1]), 8000, 16000))).toEqual([0, 0.5, 1, 1]);
  });
});

describe.skipIf(!pocketsphinx)('PocketsphinxTranscriber (installed here)', () => {
  it('hears the dictated memo, recorded at 48 kHz', async () => {
    const { samples } = decodeWav(await readFile(FIXTURE));
    const wav48 = encodeWav16(resample(samples, 16_000, 48_000), 48_000);
    const text = await pocketsphinx!.transcribe(wav48, 'audio/wav');
    expect(text).toMatch(/budget of eighty thousand dollars/);
    expect(text).toMatch(/end of march/);
  }, 60_000);

  it('refuses a compressed format it cannot convert, naming the fix', async () => {
    const withoutFfmpeg = new PocketsphinxTranscriber('pocketsphinx_continuous', null, pocketsphinxSettings);
    const error = (await withoutFfmpeg
      .transcribe(Buffer.from('OggS....'), 'audio/ogg')
      .catch((e: unknown) => e)) as TranscriptionError;
    expect(error.kind).toBe('audio');
    expect(error.message).toContain('install ffmpeg');
  });
});

if (!pocketsphinx) {
  console.warn(
    'pocketsphinx is not installed: apt-get install pocketsphinx pocketsphinx-en-us to run its tests',
  );
}
