import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { OpenAiTranscriber } from '../../../src/adapters/transcription/openai-transcriber.js';
import { PocketsphinxTranscriber } from '../../../src/adapters/transcription/pocketsphinx-transcriber.js';
import { chooseTranscriber } from '../../../src/adapters/transcription/choose-transcriber.js';
import { TranscriptionError } from '../../../src/adapters/transcription/transcriber.js';
import { convertToSpeechWav, readWavLayout, Resampler } from '../../../src/adapters/transcription/wav.js';
import { readMonoPcm16, scratchFile, wavBytes } from '../../support/wav-files.js';
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
    expect(await transcriber.transcribe(FIXTURE, 'audio/wav')).toBe('Spoke with Dana at Litware.');
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
      .transcribe(await scratchFile(Buffer.from('OggS')), 'audio/ogg')
      .catch((e: unknown) => e)) as TranscriptionError;
    expect(unreadable.kind).toBe('audio');
    expect(unreadable.message).toContain('Invalid file format');
    const refused = (await transcriber
      .transcribe(await scratchFile(Buffer.from('RIFF')), 'audio/wav')
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
  const resampleWhole = (samples: Float32Array, from: number, to: number) => {
    const resampler = new Resampler(from, to);
    return Float32Array.from([...resampler.push(samples), ...resampler.end()]);
  };

  it('downmixes and resamples any PCM WAV file to a private 16 kHz mono file, keeping the signal', async () => {
    const rate = 44_100;
    const tone = Float32Array.from(
      { length: rate },
      (_, i) => 0.5 * Math.sin((2 * Math.PI * 440 * i) / rate),
    );
    // A stereo 24-bit file: both channels carry the tone.
    const input = await scratchFile(wavBytes(tone, { sampleRate: rate, channels: 2, bits: 24 }));
    const output = path.join(path.dirname(input), 'speech.wav');
    const { seconds } = await convertToSpeechWav(input, output);
    expect(seconds).toBeCloseTo(1, 2);
    expect((await stat(output)).mode & 0o777).toBe(0o600);
    const decoded = readMonoPcm16(await readFile(output));
    expect(decoded.sampleRate).toBe(16_000);
    expect(decoded.samples.length).toBe(16_000);
    const peak = decoded.samples.reduce((m, s) => Math.max(m, Math.abs(s)), 0);
    expect(peak).toBeGreaterThan(0.45);
    expect(peak).toBeLessThan(0.55);
  });

  it('refuses what is not PCM WAV with the reason', async () => {
    await expect(readWavLayout(await scratchFile(Buffer.from('ID3\u0003 an mp3')))).rejects.toThrow(
      /not a WAV file/,
    );
    const adpcm = wavBytes(new Float32Array(10), { sampleRate: 16_000, channels: 1, bits: 16 });
    adpcm.writeUInt16LE(2, 20);
    await expect(readWavLayout(await scratchFile(adpcm))).rejects.toThrow(/compressed/);
  });

  it('upsamples by interpolation', () => {
    expect(Array.from(resampleWhole(Float32Array.from([0, 1]), 8000, 16000))).toEqual([0, 0.5, 1, 1]);
  });

  it('resamples a block at a time exactly as the whole signal at once', () => {
    const signal = Float32Array.from({ length: 20_011 }, (_, i) => Math.sin(i / 7) * Math.cos(i / 131));
    for (const [from, to] of [
      [44_100, 16_000],
      [48_000, 16_000],
      [8_000, 16_000],
      [11_025, 16_000],
    ] as const) {
      const whole = resampleWhole(signal, from, to);
      const resampler = new Resampler(from, to);
      const pieces: number[] = [];
      for (let start = 0, size = 1; start < signal.length; start += size, size = (size * 7 + 3) % 997) {
        pieces.push(...resampler.push(signal.subarray(start, start + size)));
      }
      pieces.push(...resampler.end());
      expect(pieces.length, `${from} to ${to}`).toBe(whole.length);
      expect(Float32Array.from(pieces)).toEqual(whole);
    }
  });
});

describe.skipIf(!pocketsphinx)('PocketsphinxTranscriber (installed here)', () => {
  it('hears the dictated memo, recorded at 48 kHz', async () => {
    const { samples } = readMonoPcm16(await readFile(FIXTURE));
    const upsampler = new Resampler(16_000, 48_000);
    const samples48 = Float32Array.from([...upsampler.push(samples), ...upsampler.end()]);
    const wav48 = await scratchFile(wavBytes(samples48, { sampleRate: 48_000, channels: 1, bits: 16 }));
    const text = await pocketsphinx!.transcribe(wav48, 'audio/wav');
    expect(text).toMatch(/budget of eighty thousand dollars/);
    expect(text).toMatch(/end of march/);
  }, 60_000);

  it('refuses a compressed format it cannot convert, naming the fix', async () => {
    const withoutFfmpeg = new PocketsphinxTranscriber('pocketsphinx_continuous', null, pocketsphinxSettings);
    const error = (await withoutFfmpeg
      .transcribe(await scratchFile(Buffer.from('OggS....')), 'audio/ogg')
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
