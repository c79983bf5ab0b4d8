import { z } from 'zod';
import { ConfigError, httpUrl, readSection, wholeNumber as whole, type Fixes } from './env.js';

/**
 * How voice memos become text (SCRIBE_TRANSCRIPTION*, SCRIBE_POCKETSPHINX_*, SCRIBE_VOICE_MEMO_*):
 * an OpenAI-compatible transcription endpoint when a key is set, else the offline pocketsphinx
 * recogniser when it is installed, else none (the endpoint then answers 503 saying how to enable one).
 */

export class TranscriptionConfigError extends ConfigError {}

const TranscriptionEnvSchema = z.object({
  SCRIBE_TRANSCRIPTION: z.enum(['auto', 'openai', 'pocketsphinx', 'off']).default('auto'),
  SCRIBE_TRANSCRIPTION_BASE_URL: httpUrl.optional(),
  SCRIBE_TRANSCRIPTION_API_KEY: z.string().min(1).optional(),
  OPENAI_BASE_URL: httpUrl.optional(),
  OPENAI_API_KEY: z.string().min(1).optional(),
  SCRIBE_TRANSCRIPTION_MODEL: z.string().min(1).default('whisper-1'),
  SCRIBE_TRANSCRIPTION_TIMEOUT_MS: whole(1_000, 600_000).default(120_000),
  SCRIBE_POCKETSPHINX_BIN: z.string().min(1).default('pocketsphinx_continuous'),
  SCRIBE_POCKETSPHINX_MODEL_DIR: z.string().min(1).default('/usr/share/pocketsphinx/model/en-us'),
  SCRIBE_FFMPEG_BIN: z.string().min(1).default('ffmpeg'),
  SCRIBE_VOICE_MEMO_MAX_BYTES: whole(1_024, 100 * 1024 * 1024).default(25 * 1024 * 1024),
});

const FIXES: Fixes<typeof TranscriptionEnvSchema> = {
  SCRIBE_TRANSCRIPTION:
    'use auto (an endpoint when a key is set, else pocketsphinx when installed), openai, pocketsphinx or off',
  SCRIBE_TRANSCRIPTION_BASE_URL:
    "set the OpenAI-compatible endpoint's base URL, such as http://localhost:8000/v1, or unset it for OPENAI_BASE_URL or api.openai.com",
  SCRIBE_TRANSCRIPTION_API_KEY:
    'set the key of the transcription endpoint, or unset it to use OPENAI_API_KEY',
  OPENAI_BASE_URL: "set it to the endpoint's base URL, such as http://localhost:8000/v1",
  OPENAI_API_KEY: 'set the key of the OpenAI-compatible endpoint',
  SCRIBE_TRANSCRIPTION_MODEL: 'set a transcription model the endpoint serves, such as whisper-1',
  SCRIBE_TRANSCRIPTION_TIMEOUT_MS:
    'use how long one transcription may take, in milliseconds (1000 to 600000)',
  SCRIBE_POCKETSPHINX_BIN:
    'set the pocketsphinx_continuous program to run (apt-get install pocketsphinx pocketsphinx-en-us)',
  SCRIBE_POCKETSPHINX_MODEL_DIR: 'set the folder holding en-us/, en-us.lm.bin and cmudict-en-us.dict',
  SCRIBE_FFMPEG_BIN: 'set the ffmpeg program that turns mp3, webm, ogg and mp4 into WAV for pocketsphinx',
  SCRIBE_VOICE_MEMO_MAX_BYTES: 'use the largest memo accepted, in bytes, from 1024 to 104857600',
};

export type TranscriptionEngine = 'auto' | 'openai' | 'pocketsphinx' | 'off';

export interface TranscriptionConfig {
  engine: TranscriptionEngine;
  /** Null when no key is set: the endpoint cannot be used. */
  openai: { baseURL: string | undefined; apiKey: string; model: string; timeoutMs: number } | null;
  pocketsphinx: { bin: string; modelDir: string; ffmpegBin: string; timeoutMs: number };
  maxBytes: number;
}

export function loadTranscriptionConfig(env: NodeJS.ProcessEnv): TranscriptionConfig {
  const e = readSection(env, TranscriptionEnvSchema, FIXES, {
    error: TranscriptionConfigError,
    secret: ['SCRIBE_TRANSCRIPTION_API_KEY', 'OPENAI_API_KEY'],
  });
  const apiKey = e.SCRIBE_TRANSCRIPTION_API_KEY ?? e.OPENAI_API_KEY;
  if (e.SCRIBE_TRANSCRIPTION === 'openai' && !apiKey) {
    throw new TranscriptionConfigError(
      'SCRIBE_TRANSCRIPTION is openai but no key is set: set SCRIBE_TRANSCRIPTION_API_KEY or OPENAI_API_KEY (any value for a local endpoint that ignores keys)',
    );
  }
  return {
    engine: e.SCRIBE_TRANSCRIPTION,
    openai: apiKey
      ? {
          baseURL: e.SCRIBE_TRANSCRIPTION_BASE_URL ?? e.OPENAI_BASE_URL,
          apiKey,
          model: e.SCRIBE_TRANSCRIPTION_MODEL,
          timeoutMs: e.SCRIBE_TRANSCRIPTION_TIMEOUT_MS,
        }
      : null,
    pocketsphinx: {
      bin: e.SCRIBE_POCKETSPHINX_BIN,
      modelDir: e.SCRIBE_POCKETSPHINX_MODEL_DIR,
      ffmpegBin: e.SCRIBE_FFMPEG_BIN,
      timeoutMs: e.SCRIBE_TRANSCRIPTION_TIMEOUT_MS,
    },
    maxBytes: e.SCRIBE_VOICE_MEMO_MAX_BYTES,
  };
}
