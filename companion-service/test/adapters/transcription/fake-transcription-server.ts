import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A local OpenAI-compatible transcription endpoint on loopback: `POST /v1/audio/transcriptions` as
 * multipart form data (file and model), checked the way the real one checks them, answering what
 * the test scripted. The SDK under test talks real HTTP to it.
 */

export interface TranscriptionRequest {
  authorization: string | undefined;
  model: string;
  fileName: string;
  fileType: string;
  bytes: Buffer;
}

export type TranscriptionReply = { text: string } | { status: number; message: string };

export interface FakeTranscriptionServer {
  baseURL: string;
  requests: TranscriptionRequest[];
  close(): Promise<void>;
}

export async function startFakeTranscription(
  script: (request: TranscriptionRequest) => TranscriptionReply,
): Promise<FakeTranscriptionServer> {
  const requests: TranscriptionRequest[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', async () => {
      const send = (status: number, body: unknown) => {
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(body));
      };
      const error = (status: number, message: string) =>
        send(status, { error: { message, type: 'invalid_request_error', param: null, code: null } });
      if (req.method !== 'POST' || req.url !== '/v1/audio/transcriptions')
        return error(404, `no route ${req.url}`);
      if (!req.headers['content-type']?.startsWith('multipart/form-data'))
        return error(400, 'expected multipart/form-data');
      // undici's Response parses multipart bodies exactly as a server framework would.
      const form = await new Response(Buffer.concat(chunks), {
        headers: { 'content-type': req.headers['content-type'] },
      }).formData();
      const file = form.get('file');
      const model = form.get('model');
      if (!(file instanceof File)) return error(400, "'file' is a required field");
      if (typeof model !== 'string' || !model) return error(400, "'model' is a required field");
      const request: TranscriptionRequest = {
        authorization: req.headers.authorization,
        model,
        fileName: file.name,
        fileType: file.type,
        bytes: Buffer.from(await file.arrayBuffer()),
      };
      requests.push(request);
      const reply = script(request);
      if ('status' in reply) return error(reply.status, reply.message);
      send(200, { text: reply.text });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseURL: `http://127.0.0.1:${port}/v1`,
    requests,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

export interface CountingTranscriptionServer {
  baseURL: string;
  /** The size of each request body received, multipart framing included. */
  bodies: number[];
  close(): Promise<void>;
}

/**
 * An endpoint that reads each upload as it arrives and keeps only its size, answering `text`: for
 * measuring what sending a large memo costs the service, with nothing held on the receiving side.
 */
export async function startCountingTranscription(text: string): Promise<CountingTranscriptionServer> {
  const bodies: number[] = [];
  const server = createServer((req, res) => {
    let size = 0;
    req.on('data', (chunk: Buffer) => (size += chunk.length));
    req.on('end', () => {
      bodies.push(size);
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ text }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseURL: `http://127.0.0.1:${port}/v1`,
    bodies,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
