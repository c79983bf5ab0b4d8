import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A local OpenAI-compatible endpoint on loopback: `POST /v1/chat/completions` only. It checks the
 * request has the shape the SDK sends for structured outputs, records it, and answers what the
 * test scripted. The SDK under test talks real HTTP to it.
 */

export interface ChatMessage {
  role: string;
  content: string;
}

export interface RecordedRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  raw: string;
  body: {
    model: string;
    messages: ChatMessage[];
    response_format: {
      type: string;
      json_schema: { name: string; strict: boolean; schema: Record<string, unknown> };
    };
  };
}

export type Reply =
  /** The model's answer: an object is sent as its JSON text, a string as is. */
  { content: unknown } | { refusal: string } | { status: number; error: unknown };

export type Script = (request: RecordedRequest, index: number) => Reply;

export interface FakeOpenAi {
  baseURL: string;
  requests: RecordedRequest[];
  close(): Promise<void>;
}

function shapeProblem(body: unknown): string | null {
  const b = body as Partial<RecordedRequest['body']> | null;
  if (!b || typeof b !== 'object') return 'body is not a JSON object';
  if (typeof b.model !== 'string' || b.model.length === 0) return 'model is missing';
  if (!Array.isArray(b.messages) || b.messages.length === 0) return 'messages is missing';
  for (const m of b.messages) {
    if (!['system', 'user', 'assistant'].includes(m?.role) || typeof m?.content !== 'string')
      return 'a message lacks role or content';
  }
  const rf = b.response_format;
  if (rf?.type !== 'json_schema') return 'response_format.type is not json_schema';
  if (typeof rf.json_schema?.name !== 'string' || rf.json_schema.strict !== true)
    return 'json_schema lacks a name or strict: true';
  if (rf.json_schema.schema?.type !== 'object') return 'json_schema.schema is not an object schema';
  return null;
}

export function completion(model: string, reply: { content: string | null; refusal: string | null }) {
  return {
    id: 'chatcmpl-test',
    object: 'chat.completion',
    created: Math.floor(Date.now() / 1000),
    model,
    choices: [
      {
        index: 0,
        finish_reason: 'stop',
        logprobs: null,
        message: { role: 'assistant', content: reply.content, refusal: reply.refusal },
      },
    ],
    usage: { prompt_tokens: 100, completion_tokens: 50, total_tokens: 150 },
  };
}

export async function startFakeOpenAi(script: Script): Promise<FakeOpenAi> {
  const requests: RecordedRequest[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const send = (status: number, payload: unknown) => {
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(payload));
      };
      if (req.method !== 'POST' || req.url !== '/v1/chat/completions') {
        return send(404, {
          error: { message: `no route ${req.method} ${req.url}`, type: 'invalid_request_error' },
        });
      }
      const raw = Buffer.concat(chunks).toString('utf8');
      let body: unknown;
      try {
        body = JSON.parse(raw);
      } catch {
        return send(400, { error: { message: 'body is not JSON', type: 'invalid_request_error' } });
      }
      const problem = shapeProblem(body);
      if (problem) return send(400, { error: { message: problem, type: 'invalid_request_error' } });
      const recorded = {
        method: req.method,
        path: req.url,
        headers: req.headers,
        raw,
        body,
      } as RecordedRequest;
      requests.push(recorded);
      const reply = script(recorded, requests.length - 1);
      if ('status' in reply) return send(reply.status, reply.error);
      if ('refusal' in reply)
        return send(200, completion(recorded.body.model, { content: null, refusal: reply.refusal }));
      const content = typeof reply.content === 'string' ? reply.content : JSON.stringify(reply.content);
      return send(200, completion(recorded.body.model, { content, refusal: null }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseURL: `http://127.0.0.1:${port}/v1`,
    requests,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}

/** The text of the conversation as the request carried it (between the <conversation> tags). */
export function conversationSent(request: RecordedRequest): string {
  const message = request.body.messages.find((m) => m.content.startsWith('<conversation>'));
  return message ? message.content.replace(/^<conversation>\n/, '').replace(/\n<\/conversation>$/, '') : '';
}

/** An answer with nothing in it; tests spread the fields they care about over it. */
export function emptyAnswer() {
  return {
    summary: '',
    decisions: [],
    objections: [],
    nextSteps: [],
    stakeholders: [],
    contactDetails: [],
    budget: null,
    timeline: null,
    timelineIsDecision: false,
    competitors: [],
    useCase: null,
    seatCount: null,
    employeeCount: null,
    annualRevenue: null,
    techStack: [],
    decisionTimeline: null,
    meddpicc: {
      metrics: [],
      economicBuyer: [],
      decisionCriteria: [],
      decisionProcess: [],
      paperProcess: [],
      identifiedPain: [],
      champion: [],
      competition: [],
    },
    proposedStage: null,
  };
}
