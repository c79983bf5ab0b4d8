import { createHash } from 'node:crypto';
import { createWriteStream, type WriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import path from 'node:path';
import type { Readable } from 'node:stream';

/**
 * A recording sent as a request body, written to a file as it arrives and never held in memory:
 * a memo may be tens of megabytes and a slow sender holds the request open. The file is 0600 in a
 * folder of its own that mkdtemp makes 0700, and the folder is removed once the caller is done,
 * whether it answered, failed or the sender went away. The SHA-256 of the bytes (and any other hash
 * the caller asks for) is taken on the way, so nothing reads the file again to name it.
 */

export interface Recording {
  path: string;
  bytes: number;
  /** Hex SHA-256 of the bytes. */
  sha256: string;
}

export class RecordingTooLarge extends Error {
  constructor(readonly limitBytes: number) {
    super(`the recording is over ${limitBytes} bytes`);
    this.name = 'RecordingTooLarge';
  }
}

export interface ReceiveOptions {
  /** Where the recording's private folder is made. */
  parentDir: string;
  maxBytes: number;
  /** Called with every block as it arrives, before it is written. */
  onBytes?: (block: Buffer) => void;
}

/**
 * Writes `body` to a private file and hands it to `use`; the folder is gone when this settles. Over
 * `maxBytes`, stops writing and rejects with RecordingTooLarge. The rest of an oversized body is
 * read and dropped rather than the connection cut, so the sender still gets the answer that says why.
 */
export async function withRecording<T>(
  body: Readable,
  options: ReceiveOptions,
  use: (recording: Recording) => Promise<T>,
): Promise<T> {
  const dir = await mkdtemp(path.join(options.parentDir, 'scribe-memo-'));
  try {
    const file = path.join(dir, 'recording');
    const hash = createHash('sha256');
    const bytes = await receive(body, createWriteStream(file, { flags: 'wx', mode: 0o600 }), {
      ...options,
      onBytes: (block) => {
        hash.update(block);
        options.onBytes?.(block);
      },
    });
    return await use({ path: file, bytes, sha256: hash.digest('hex') });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

function receive(body: Readable, file: WriteStream, options: ReceiveOptions): Promise<number> {
  return new Promise((resolve, reject) => {
    let bytes = 0;
    let settled = false;
    let writeError: Error | null = null;
    const stop = () => {
      settled = true;
      body.off('data', onData);
      body.off('end', onEnd);
      body.off('error', onError);
      body.off('close', onClose);
    };
    const fail = (error: Error) => {
      if (settled) return;
      stop();
      file.destroy();
      // The file's descriptor is closed before the folder is removed.
      file.once('close', () => reject(error));
    };
    const onData = (block: Buffer) => {
      bytes += block.length;
      if (bytes > options.maxBytes) {
        fail(new RecordingTooLarge(options.maxBytes));
        body.resume();
        return;
      }
      options.onBytes?.(block);
      if (!file.write(block)) {
        body.pause();
        file.once('drain', () => body.resume());
      }
    };
    const onEnd = () => {
      if (settled) return;
      stop();
      file.end();
      file.once('close', () => (writeError ? reject(writeError) : resolve(bytes)));
    };
    const onError = (error: Error) => fail(error);
    const onClose = () => fail(new Error('the sender closed the connection before the recording ended'));
    body.on('data', onData);
    body.once('end', onEnd);
    body.once('error', onError);
    body.once('close', onClose);
    file.once('error', (error) => {
      writeError = error;
      fail(error);
    });
  });
}
