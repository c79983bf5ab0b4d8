import { randomBytes } from 'node:crypto';
import http from 'node:http';
import https from 'node:https';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';

/**
 * The fetch the transcription SDK is given: a multipart upload is written with node:http, a block of
 * the file read each time the socket has taken the last one; everything else goes to the global
 * fetch. Written here because Node's fetch (undici, also the npm release) reads a request body ahead
 * of the socket without limit, so a 25 MB memo sat whole in memory while it was sent; no library
 * installed sends a FormData with backpressure.
 */

interface UploadPart {
  name: string;
  stream(): ReadableStream<Uint8Array>;
  size: number;
  type: string;
}

const quoted = (value: string) => value.replace(/"/g, '%22').replace(/\r/g, '%0D').replace(/\n/g, '%0A');

function multipart(
  form: FormData,
  boundary: string,
): { length: number; body: () => AsyncGenerator<Uint8Array> } {
  const entries = [...form.entries()].map(([name, value]) => {
    if (typeof value === 'string') {
      const head = Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="${quoted(name)}"\r\n\r\n${value}\r\n`,
      );
      return { head, file: null as UploadPart | null };
    }
    const file = value as unknown as UploadPart;
    const head = Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="${quoted(name)}"; filename="${quoted(file.name)}"\r\nContent-Type: ${file.type || 'application/octet-stream'}\r\n\r\n`,
    );
    return { head, file };
  });
  const tail = Buffer.from(`--${boundary}--\r\n`);
  const length =
    entries.reduce((sum, { head, file }) => sum + head.length + (file ? file.size + 2 : 0), 0) + tail.length;
  return {
    length,
    async *body() {
      for (const { head, file } of entries) {
        yield head;
        if (!file) continue;
        for await (const block of file.stream() as unknown as AsyncIterable<Uint8Array>) yield block;
        yield Buffer.from('\r\n');
      }
      yield tail;
    },
  };
}

function responseOf(response: http.IncomingMessage): Response {
  const headers = new Headers();
  for (const [name, value] of Object.entries(response.headers)) {
    for (const one of Array.isArray(value) ? value : value === undefined ? [] : [value])
      headers.append(name, one);
  }
  const status = response.statusCode ?? 500;
  const empty = status === 204 || status === 205 || status === 304;
  if (empty) response.resume();
  return new Response(empty ? null : (Readable.toWeb(response) as ReadableStream<Uint8Array>), {
    status,
    statusText: response.statusMessage,
    headers,
  });
}

export const streamingUploadFetch: typeof fetch = async (input, init) => {
  if (!(init?.body instanceof FormData)) return fetch(input, init);
  const url = new URL(input instanceof Request ? input.url : String(input));
  const boundary = `scribe-${randomBytes(16).toString('hex')}`;
  const { length, body } = multipart(init.body, boundary);
  const headers = new Headers(init.headers);
  headers.set('content-type', `multipart/form-data; boundary=${boundary}`);
  headers.set('content-length', String(length));
  const client = url.protocol === 'https:' ? https : http;
  return new Promise<Response>((resolve, reject) => {
    const request = client.request(
      url,
      {
        method: init.method ?? 'POST',
        headers: Object.fromEntries(headers),
        signal: init.signal ?? undefined,
      },
      (response) => resolve(responseOf(response)),
    );
    request.once('error', reject);
    pipeline(Readable.from(body()), request).catch(reject);
  });
};
