import type { TranscriptionConfig } from '../../config/transcription-config.js';
import { OpenAiTranscriber } from './openai-transcriber.js';
import { PocketsphinxTranscriber } from './pocketsphinx-transcriber.js';
import type { Transcriber } from './transcriber.js';

/** What a voice memo answers when no engine is available, and how to get one. */
export const NO_TRANSCRIBER =
  'voice memos need a transcription engine: set SCRIBE_TRANSCRIPTION_API_KEY (or OPENAI_API_KEY) and, for a local endpoint, SCRIBE_TRANSCRIPTION_BASE_URL; or install the offline recogniser with apt-get install pocketsphinx pocketsphinx-en-us; then restart';

/** The endpoint when a key is set, else pocketsphinx when installed, else null; `engine` can force one. */
export async function chooseTranscriber(config: TranscriptionConfig): Promise<Transcriber | null> {
  if (config.engine === 'off') return null;
  if (config.engine !== 'pocketsphinx' && config.openai) return new OpenAiTranscriber(config.openai);
  if (config.engine === 'openai') return null;
  return PocketsphinxTranscriber.detect(config.pocketsphinx);
}
