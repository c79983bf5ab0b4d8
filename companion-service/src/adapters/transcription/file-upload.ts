import { open, readFile, type FileHandle } from 'node:fs/promises';

/**
 * A file on disk as the File an upload form takes, read a block at a time only when the request
 * being sent asks for the next (streamingUploadFetch). It extends Blob because the SDK and FormData
 * accept only a Blob, and calls itself a File so that FormData keeps it as it is instead of copying
 * it into a new one.
 */

const BLOCK_BYTES = 64 * 1024;

export class FileUpload extends Blob {
  constructor(
    private readonly path: string,
    private readonly byteLength: number,
    readonly name: string,
    private readonly mediaType: string,
  ) {
    super([]);
  }

  readonly lastModified = Date.now();

  override get size(): number {
    return this.byteLength;
  }

  override get type(): string {
    return this.mediaType;
  }

  get [Symbol.toStringTag](): string {
    return 'File';
  }

  override stream(): ReadableStream<Uint8Array<ArrayBuffer>> {
    const path = this.path;
    let file: FileHandle | null = null;
    let position = 0;
    return new ReadableStream<Uint8Array<ArrayBuffer>>(
      {
        async pull(controller) {
          file ??= await open(path, 'r');
          const block = Buffer.alloc(BLOCK_BYTES);
          const { bytesRead } = await file.read(block, 0, BLOCK_BYTES, position);
          if (bytesRead === 0) {
            await file.close();
            controller.close();
            return;
          }
          position += bytesRead;
          controller.enqueue(new Uint8Array(block.buffer, block.byteOffset, bytesRead));
        },
        async cancel() {
          await file?.close();
        },
      },
      { highWaterMark: 1 },
    );
  }

  override async arrayBuffer(): Promise<ArrayBuffer> {
    const bytes = await readFile(this.path);
    return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.length) as ArrayBuffer;
  }

  override async text(): Promise<string> {
    return readFile(this.path, 'utf8');
  }

  override slice(): Blob {
    throw new Error('a file upload is sent whole; it cannot be sliced');
  }
}
