import { stat } from 'node:fs/promises';
import OpenAI, { APIError } from 'openai';
import { FileUpload } from './file-upload.js';
import { streamingUploadFetch } from './streaming-upload-fetch.js';
import type { TranscriptionConfig } from '../../config/transcription-config.js';
import { FILE_EXTENSIONS, TranscriptionError, type AudioType, type Transcriber } from './transcriber.js';

/**
 * Any OpenAI-compatible transcription endpoint (`POST /audio/transcriptions`, multipart) through the
 * SDK, which retries connection errors, 429 and 5xx itself. The endpoint's own message is logged by
 * the caller, never echoed to whoever sent the memo.
 */
export class OpenAiTranscriber implements Transcriber {
  readonly name: string;
  private readonly client: OpenAI;

  constructor(private readonly config: NonNullable<TranscriptionConfig['openai']>) {
    this.name = `openai (${config.model})`;
    this.client = new OpenAI({
      // null, not undefined: the SDK would otherwise read OPENAI_BASE_URL behind the config's back.
      baseURL: config.baseURL ?? null,
      apiKey: config.apiKey,
      timeout: config.timeoutMs,
      maxRetries: 2,
      fetch: streamingUploadFetch,
    });
  }

  async transcribe(path: string, type: AudioType): Promise<string> {
    try {
      // Read a block at a time as the multipart body is sent (streamingUploadFetch); a Buffer or a read
      // stream would first be gathered whole in memory by the SDK.
      const file = new FileUpload(path, (await stat(path)).size, `memo.${FILE_EXTENSIONS[type]}`, type);
      const result = await this.client.audio.transcriptions.create({ file, model: this.config.model });
      return result.text.trim();
    } catch (error) {
      if (error instanceof APIError && error.status === 400) {
        throw new TranscriptionError(
          'audio',
          `the transcription endpoint could not read the audio: ${error.message}`,
        );
      }
      const status = error instanceof APIError && error.status ? ` (HTTP ${error.status})` : '';
      throw new TranscriptionError(
        'engine',
        `the transcription endpoint failed${status}: ${(error as Error).message}`,
      );
    }
  }
}
