/**
 * Whatever turns a dictated memo into text. A refusal says whether the audio is the problem (the
 * caller can fix it) or the engine (the service's operator can).
 */

export const AUDIO_TYPES = ['audio/wav', 'audio/mpeg', 'audio/webm', 'audio/ogg', 'audio/mp4'] as const;
export type AudioType = (typeof AUDIO_TYPES)[number];

/** Names recorders and browsers also use for the same formats. */
export const AUDIO_TYPE_ALIASES: Record<string, AudioType> = {
  'audio/x-wav': 'audio/wav',
  'audio/wave': 'audio/wav',
  'audio/vnd.wave': 'audio/wav',
  'audio/mp3': 'audio/mpeg',
  'audio/x-m4a': 'audio/mp4',
  'audio/m4a': 'audio/mp4',
};

export const FILE_EXTENSIONS: Record<AudioType, string> = {
  'audio/wav': 'wav',
  'audio/mpeg': 'mp3',
  'audio/webm': 'webm',
  'audio/ogg': 'ogg',
  'audio/mp4': 'm4a',
};

export class TranscriptionError extends Error {
  constructor(
    /** `audio`: this recording cannot be read; `engine`: the engine failed or is unreachable. */
    readonly kind: 'audio' | 'engine',
    message: string,
  ) {
    super(message);
    this.name = 'TranscriptionError';
  }
}

export interface Transcriber {
  readonly name: string;
  /**
   * The text of the recording in the file at `path`. A file, not bytes in memory: a memo may be tens
   * of megabytes, and each engine reads it a block at a time.
   */
  transcribe(path: string, type: AudioType): Promise<string>;
}
