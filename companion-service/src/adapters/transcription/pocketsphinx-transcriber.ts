import { execFile } from 'node:child_process';
import { access, mkdtemp, rm } from 'node:fs/promises';
import { constants } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { TranscriptionConfig } from '../../config/transcription-config.js';
import { TranscriptionError, type AudioType, type Transcriber } from './transcriber.js';
import { convertToSpeechWav, WavFormatError } from './wav.js';

/**
 * The offline recogniser: Debian's pocketsphinx (`pocketsphinx_continuous`) with the US English model,
 * fed a 16 kHz mono WAV file. WAV is converted here, file to file a block at a time; mp3, webm, ogg
 * and mp4 need ffmpeg, and are refused with that fix when it is missing. The recogniser reads its
 * file as it decodes. One memo at a time: the recogniser takes a whole core.
 */

type Settings = TranscriptionConfig['pocketsphinx'];

/** Where a program would run from, or null: a bare name is looked up on PATH. */
export async function findProgram(
  name: string,
  env: NodeJS.ProcessEnv = process.env,
): Promise<string | null> {
  const candidates = name.includes('/')
    ? [name]
    : (env.PATH ?? '')
        .split(path.delimiter)
        .filter(Boolean)
        .map((dir) => path.join(dir, name));
  for (const candidate of candidates) {
    try {
      await access(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here
    }
  }
  return null;
}

function run(program: string, args: string[], timeoutMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(program, args, { timeout: timeoutMs, maxBuffer: 8 * 1024 * 1024 }, (error, stdout) => {
      if (error) reject(error);
      else resolve(stdout);
    });
  });
}

export class PocketsphinxTranscriber implements Transcriber {
  readonly name = 'pocketsphinx';
  private tail: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly program: string,
    private readonly ffmpeg: string | null,
    private readonly settings: Settings,
  ) {}

  /** The recogniser when it and its model are installed, else null. */
  static async detect(settings: Settings): Promise<PocketsphinxTranscriber | null> {
    const program = await findProgram(settings.bin);
    if (!program) return null;
    try {
      await access(path.join(settings.modelDir, 'en-us.lm.bin'), constants.R_OK);
    } catch {
      return null;
    }
    return new PocketsphinxTranscriber(program, await findProgram(settings.ffmpegBin), settings);
  }

  transcribe(recording: string, type: AudioType): Promise<string> {
    const turn = this.tail.then(() => this.recognise(recording, type));
    this.tail = turn.catch(() => undefined);
    return turn;
  }

  private async recognise(recording: string, type: AudioType): Promise<string> {
    // mkdtemp makes the folder 0700: only the service reads what was said.
    const dir = await mkdtemp(path.join(tmpdir(), 'scribe-speech-'));
    try {
      const input = path.join(dir, 'speech.wav');
      await this.speechWav(recording, type, input);
      const model = this.settings.modelDir;
      const stdout = await run(
        this.program,
        [
          '-infile',
          input,
          '-hmm',
          path.join(model, 'en-us'),
          '-lm',
          path.join(model, 'en-us.lm.bin'),
          '-dict',
          path.join(model, 'cmudict-en-us.dict'),
          '-logfn',
          '/dev/null',
        ],
        this.settings.timeoutMs,
      ).catch((error: Error) => {
        throw new TranscriptionError('engine', `pocketsphinx failed: ${error.message.split('\n')[0]}`);
      });
      return stdout
        .split('\n')
        .map((line) => line.trim())
        .filter(Boolean)
        .join('. ');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }

  private async speechWav(recording: string, type: AudioType, output: string): Promise<void> {
    if (type === 'audio/wav') {
      try {
        await convertToSpeechWav(recording, output);
        return;
      } catch (error) {
        if (error instanceof WavFormatError) throw new TranscriptionError('audio', error.message);
        throw error;
      }
    }
    if (!this.ffmpeg) {
      throw new TranscriptionError(
        'audio',
        `the offline recogniser reads WAV only and ffmpeg is not installed to convert ${type}: send audio/wav, install ffmpeg, or configure an OpenAI-compatible endpoint (SCRIBE_TRANSCRIPTION_API_KEY)`,
      );
    }
    await run(
      this.ffmpeg,
      [
        '-nostdin',
        '-loglevel',
        'error',
        '-i',
        recording,
        '-ac',
        '1',
        '-ar',
        '16000',
        '-sample_fmt',
        's16',
        output,
      ],
      this.settings.timeoutMs,
    ).catch(() => {
      throw new TranscriptionError('audio', `ffmpeg could not read the ${type} audio`);
    });
  }
}
