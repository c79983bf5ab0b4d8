import { randomUUID } from 'node:crypto';
import Fastify, { type FastifyReply, type FastifyRequest } from 'fastify';
import { z } from 'zod';

/**
 * A local Gong API on loopback, faithful to what the service relies on: Basic (access key and secret)
 * or OAuth bearer authentication, a per-second rate limit answered with 429 and Retry-After, cursor
 * paging, `{ requestId, errors[] }` refusals, 404 when no call matches, and the transcript and
 * extensive shapes (parties only when exposedFields asks, context only when contentSelector does).
 * Tests start it on port 0, load calls into it, and can make it fail on purpose.
 */

export interface LocalGongCall {
  metaData: { id: string; title?: string; started?: string; scheduled?: string; [field: string]: unknown };
  parties?: Record<string, unknown>[];
  context?: Record<string, unknown>[];
  transcript: {
    speakerId?: string;
    topic?: string | null;
    sentences: { start: number; end: number; text: string }[];
  }[];
}

export interface LocalGongOptions {
  accessKey?: string;
  accessKeySecret?: string;
  oauthToken?: string;
  requestsPerSecond?: number;
  /** Seconds a 429 asks the caller to wait. */
  retryAfterSeconds?: number;
  pageSize?: number;
  calls?: LocalGongCall[];
}

export interface LocalGong {
  url: string;
  calls: Map<string, LocalGongCall>;
  /** Every request that reached it, authorised or not, for tests to count and time. */
  requests: { path: string; at: number; status: number }[];
  /** The next `count` authorised requests answer this status (500, 503, 429, ...). */
  failNext(status: number, count?: number): void;
  close(): Promise<void>;
}

const FilterSchema = z.object({
  callIds: z.array(z.string().min(1)).max(100).optional(),
  fromDateTime: z.iso.datetime({ offset: true }).optional(),
  toDateTime: z.iso.datetime({ offset: true }).optional(),
  workspaceId: z.string().optional(),
});
const TranscriptRequestSchema = z.object({ cursor: z.string().optional(), filter: FilterSchema });
const ExtensiveRequestSchema = TranscriptRequestSchema.extend({
  contentSelector: z
    .object({
      context: z.enum(['None', 'Basic', 'Extended']).optional(),
      exposedFields: z.object({ parties: z.boolean().optional() }).loose().optional(),
    })
    .loose()
    .optional(),
});

export async function startLocalGong(options: LocalGongOptions = {}): Promise<LocalGong> {
  const accessKey = options.accessKey ?? 'local-access-key';
  const secret = options.accessKeySecret ?? 'local-access-key-secret';
  const basic = `Basic ${Buffer.from(`${accessKey}:${secret}`).toString('base64')}`;
  const perSecond = options.requestsPerSecond ?? 3;
  const pageSize = options.pageSize ?? 100;
  const calls = new Map((options.calls ?? []).map((c) => [c.metaData.id, c]));
  const requests: LocalGong['requests'] = [];
  const windowStarts: number[] = [];
  const faults: number[] = [];

  const server = Fastify({ logger: false });
  const refuse = (reply: FastifyReply, status: number, ...errors: string[]) =>
    reply.code(status).send({ requestId: randomUUID().replace(/-/g, '').slice(0, 20), errors });

  server.addHook('onResponse', async (request, reply) => {
    requests.push({ path: request.url, at: Date.now(), status: reply.statusCode });
  });

  server.addHook('preHandler', async (request, reply) => {
    const auth = request.headers.authorization ?? '';
    const authorised =
      auth === basic || (options.oauthToken !== undefined && auth === `Bearer ${options.oauthToken}`);
    if (!authorised) return refuse(reply, 401, 'Unauthorized: invalid access key or token');
    const now = Date.now();
    while (windowStarts.length > 0 && windowStarts[0]! <= now - 1000) windowStarts.shift();
    if (windowStarts.length >= perSecond) {
      reply.header('Retry-After', String(options.retryAfterSeconds ?? 1));
      return refuse(reply, 429, `Too many requests: the limit is ${perSecond} per second`);
    }
    windowStarts.push(now);
    const fault = faults.shift();
    if (fault === 429) reply.header('Retry-After', String(options.retryAfterSeconds ?? 1));
    if (fault) return refuse(reply, fault, `Injected failure ${fault}`);
  });

  const page = <T>(
    request: FastifyRequest,
    reply: FastifyReply,
    cursor: string | undefined,
    matched: T[],
  ) => {
    let offset = 0;
    if (cursor) {
      offset = Number(Buffer.from(cursor, 'base64url').toString());
      if (!Number.isInteger(offset) || offset < 0 || offset >= matched.length) {
        refuse(reply, 400, 'cursor: the cursor is not valid');
        return null;
      }
    }
    const slice = matched.slice(offset, offset + pageSize);
    const next =
      offset + pageSize < matched.length
        ? Buffer.from(String(offset + pageSize)).toString('base64url')
        : undefined;
    return {
      slice,
      records: {
        totalRecords: matched.length,
        currentPageSize: slice.length,
        currentPageNumber: Math.floor(offset / pageSize),
        ...(next ? { cursor: next } : {}),
      },
    };
  };

  const select = (filter: z.infer<typeof FilterSchema>) =>
    [...calls.values()].filter((call) => {
      if (filter.callIds && !filter.callIds.includes(call.metaData.id)) return false;
      const started = Date.parse(call.metaData.started ?? call.metaData.scheduled ?? '');
      if (filter.fromDateTime && !(started >= Date.parse(filter.fromDateTime))) return false;
      if (filter.toDateTime && !(started < Date.parse(filter.toDateTime))) return false;
      return true;
    });

  const parse = <T extends z.ZodType>(
    schema: T,
    request: FastifyRequest,
    reply: FastifyReply,
  ): z.infer<T> | null => {
    const parsed = schema.safeParse(request.body);
    if (parsed.success) return parsed.data;
    refuse(reply, 400, ...parsed.error.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`));
    return null;
  };

  server.post('/v2/calls/transcript', async (request, reply) => {
    const body = parse(TranscriptRequestSchema, request, reply);
    if (!body) return reply;
    const matched = select(body.filter);
    if (matched.length === 0)
      return refuse(reply, 404, 'No calls found corresponding to the provided filters');
    const result = page(request, reply, body.cursor, matched);
    if (!result) return reply;
    return {
      requestId: randomUUID().replace(/-/g, '').slice(0, 20),
      records: result.records,
      callTranscripts: result.slice.map((call) => ({
        callId: call.metaData.id,
        transcript: call.transcript,
      })),
    };
  });

  server.post('/v2/calls/extensive', async (request, reply) => {
    const body = parse(ExtensiveRequestSchema, request, reply);
    if (!body) return reply;
    const matched = select(body.filter);
    if (matched.length === 0)
      return refuse(reply, 404, 'No calls found corresponding to the provided filters');
    const result = page(request, reply, body.cursor, matched);
    if (!result) return reply;
    const withParties = body.contentSelector?.exposedFields?.parties === true;
    const withContext = (body.contentSelector?.context ?? 'None') !== 'None';
    return {
      requestId: randomUUID().replace(/-/g, '').slice(0, 20),
      records: result.records,
      calls: result.slice.map((call) => ({
        metaData: call.metaData,
        ...(withParties ? { parties: call.parties ?? [] } : {}),
        ...(withContext ? { context: call.context ?? [] } : {}),
      })),
    };
  });

  const url = await server.listen({ host: '127.0.0.1', port: 0 });
  return {
    url,
    calls,
    requests,
    failNext(status, count = 1) {
      for (let i = 0; i < count; i++) faults.push(status);
    },
    close: () => server.close(),
  };
}

/** The call the service's Gong sample describes, split as Gong's API serves it. */
export function callFromSample(sample: {
  metaData: LocalGongCall['metaData'];
  parties?: Record<string, unknown>[];
  context?: Record<string, unknown>[];
  callTranscripts: { transcript: LocalGongCall['transcript'] }[];
}): LocalGongCall {
  return {
    metaData: sample.metaData,
    parties: sample.parties,
    context: sample.context,
    transcript: sample.callTranscripts[0]!.transcript,
  };
}
