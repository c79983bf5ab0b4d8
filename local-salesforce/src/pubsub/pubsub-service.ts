import { randomUUID } from 'node:crypto';
import grpc from '@grpc/grpc-js';
import type { EventLog, RetainedEvent } from './event-log.js';
import { decodeReplayId, encodeReplayId } from './event-log.js';
import type { EventSchema } from './event-schemas.js';

/**
 * The PubSub service of pubsub_api.proto over an event log: GetTopic, GetSchema, Subscribe (replay
 * presets, flow control by num_requested, keepalives carrying the latest replay id) and Publish.
 * Every call is authenticated first from the accesstoken, instanceurl and tenantid metadata, and
 * refusals carry Salesforce's error-code trailer with a message saying what to fix.
 */

export interface Caller {
  accessToken: string;
  instanceUrl: string;
  tenantId: string;
}

export interface PubSubServiceOptions {
  log: EventLog;
  schemas: Map<string, EventSchema>;
  tenantGuid: string;
  /** Null when the caller may use the bus, else why not. */
  authenticate: (caller: Caller) => string | null;
  keepaliveMs: number;
  /** Most events one FetchRequest may ask for, as Salesforce caps it. */
  maxRequested?: number;
}

interface FetchRequest {
  topicName?: string;
  replayPreset?: number | string;
  replayId?: Buffer;
  numRequested?: number;
}

interface ProducerEvent {
  id?: string;
  schemaId?: string;
  payload?: Buffer;
}

interface PublishRequest {
  topicName?: string;
  events?: ProducerEvent[];
}

type UnaryCall<Req> = grpc.ServerUnaryCall<Req, unknown>;

const PRESETS: Record<string, 'LATEST' | 'EARLIEST' | 'CUSTOM'> = {
  '0': 'LATEST',
  '1': 'EARLIEST',
  '2': 'CUSTOM',
  LATEST: 'LATEST',
  EARLIEST: 'EARLIEST',
  CUSTOM: 'CUSTOM',
};

class RpcError extends Error {
  constructor(
    readonly code: grpc.status,
    readonly errorCode: string,
    message: string,
  ) {
    super(message);
  }

  toStatus(): Partial<grpc.StatusObject> {
    const metadata = new grpc.Metadata();
    metadata.set('error-code', this.errorCode);
    return { code: this.code, details: this.message, metadata };
  }
}

const first = (metadata: grpc.Metadata, key: string) => String(metadata.get(key)[0] ?? '');

export function pubSubService(options: PubSubServiceOptions): grpc.UntypedServiceImplementation {
  const maxRequested = options.maxRequested ?? 100;

  const authorize = (metadata: grpc.Metadata) => {
    const refusal = options.authenticate({
      accessToken: first(metadata, 'accesstoken'),
      instanceUrl: first(metadata, 'instanceurl'),
      tenantId: first(metadata, 'tenantid'),
    });
    if (refusal) {
      throw new RpcError(
        grpc.status.UNAUTHENTICATED,
        'sfdc.platform.eventbus.grpc.service.auth.error',
        refusal,
      );
    }
  };

  const topicOf = (name: string | undefined) => {
    const schema = options.schemas.get(name ?? '');
    if (!schema) {
      throw new RpcError(
        grpc.status.NOT_FOUND,
        'sfdc.platform.eventbus.grpc.topic.not.found',
        `no topic "${name ?? ''}": the org publishes ${[...options.schemas.keys()].join(', ')}`,
      );
    }
    return schema;
  };

  const unary =
    <Req>(handle: (request: Req) => unknown) =>
    (call: UnaryCall<Req>, callback: grpc.sendUnaryData<unknown>) => {
      try {
        authorize(call.metadata);
        callback(null, handle(call.request));
      } catch (error) {
        if (!(error instanceof RpcError)) throw error;
        callback(error.toStatus());
      }
    };

  const consumerEvent = (event: RetainedEvent) => ({
    event: { id: event.id, schemaId: event.schemaId, payload: event.payload, headers: [] },
    replayId: encodeReplayId(event.replayId),
  });

  const subscribe = (call: grpc.ServerDuplexStream<FetchRequest, unknown>) => {
    const rpcId = randomUUID();
    let topic: EventSchema | null = null;
    let position = 0n;
    let pending = 0;
    let stopListening: () => void = () => undefined;
    let keepalive: NodeJS.Timeout | null = null;
    let ended = false;
    // Salesforce sends an empty response when a subscription has been quiet for a while.
    const send = (response: object) => {
      call.write(response);
      if (keepalive) clearTimeout(keepalive);
      keepalive = setTimeout(sendKeepalive, options.keepaliveMs);
    };

    const fail = (error: RpcError) => {
      if (ended) return;
      end();
      call.emit('error', Object.assign(new Error(error.message), error.toStatus()));
    };
    const end = () => {
      ended = true;
      stopListening();
      if (keepalive) clearTimeout(keepalive);
    };
    const sendKeepalive = () => {
      if (ended) return;
      send({
        events: [],
        latestReplayId: encodeReplayId(position),
        rpcId,
        pendingNumRequested: pending,
      });
    };
    const pump = () => {
      if (ended || !topic) return;
      while (pending > 0) {
        const batch = options.log.after(topic.topicName, position, pending);
        if (batch.length === 0) return;
        position = batch.at(-1)!.replayId;
        pending -= batch.length;
        send({
          events: batch.map(consumerEvent),
          latestReplayId: encodeReplayId(position),
          rpcId,
          pendingNumRequested: pending,
        });
      }
    };

    const start = (request: FetchRequest) => {
      authorize(call.metadata);
      topic = topicOf(request.topicName);
      const preset = PRESETS[String(request.replayPreset ?? 0)] ?? 'LATEST';
      if (preset === 'LATEST') position = options.log.latest(topic.topicName);
      else if (preset === 'EARLIEST') position = options.log.beforeEarliest(topic.topicName);
      else {
        const replayId = decodeReplayId(request.replayId);
        if (replayId === null || !options.log.resumable(topic.topicName, replayId)) {
          throw new RpcError(
            grpc.status.INVALID_ARGUMENT,
            'sfdc.platform.eventbus.grpc.subscription.fetch.replayid.corrupted',
            `the replay id ${replayId === null ? '(not 8 bytes)' : replayId.toString()} is not in ${topic.topicName}'s retention window: subscribe with EARLIEST or LATEST instead`,
          );
        }
        position = replayId;
      }
      const name = topic.topicName;
      stopListening = options.log.onAppend(name, () => pump());
      keepalive = setTimeout(sendKeepalive, options.keepaliveMs);
    };

    call.on('data', (request: FetchRequest) => {
      if (ended) return;
      try {
        const opening = !topic;
        if (opening) start(request);
        const requested = request.numRequested ?? 0;
        if (!Number.isInteger(requested) || requested < 1) {
          throw new RpcError(
            grpc.status.INVALID_ARGUMENT,
            'sfdc.platform.eventbus.grpc.flow.control.num.requested.invalid',
            `num_requested must be a whole number from 1 to ${maxRequested}, not ${String(request.numRequested)}`,
          );
        }
        pending = Math.min(pending + requested, maxRequested);
        const before = pending;
        pump();
        // Answer a new subscription at once even with nothing to send, so the subscriber knows it is up.
        if (opening && pending === before) sendKeepalive();
      } catch (error) {
        if (!(error instanceof RpcError)) throw error;
        fail(error);
      }
    });
    call.on('end', () => {
      end();
      call.end();
    });
    call.on('cancelled', end);
    call.on('error', end);
  };

  const publish = (request: PublishRequest) => {
    const topic = topicOf(request.topicName);
    const results = (request.events ?? []).map((event) => {
      const correlationKey = event.id || randomUUID();
      const refuse = (msg: string) => ({ correlationKey, error: { code: 1, msg } });
      if (event.schemaId !== topic.schemaId) {
        return refuse(
          `schema_id "${event.schemaId ?? ''}" is not ${topic.topicName}'s schema (${topic.schemaId}): fetch it with GetTopic`,
        );
      }
      try {
        topic.type.fromBuffer(Buffer.from(event.payload ?? []));
      } catch (error) {
        return refuse(`the payload is not a ${topic.eventName} in Avro: ${(error as Error).message}`);
      }
      const retained = options.log.append({
        topicName: topic.topicName,
        id: correlationKey,
        schemaId: topic.schemaId,
        payload: Buffer.from(event.payload ?? []),
      });
      return { correlationKey, replayId: encodeReplayId(retained.replayId) };
    });
    return { results, schemaId: topic.schemaId, rpcId: randomUUID() };
  };

  const unimplemented = (what: string) => (call: { emit: (e: string, v: unknown) => boolean } & object) => {
    call.emit('error', { code: grpc.status.UNIMPLEMENTED, details: `the local Pub/Sub API has no ${what}` });
  };

  return {
    GetTopic: unary<{ topicName?: string }>((request) => {
      const topic = topicOf(request.topicName);
      return {
        topicName: topic.topicName,
        tenantGuid: options.tenantGuid,
        canPublish: true,
        canSubscribe: true,
        schemaId: topic.schemaId,
        rpcId: randomUUID(),
      };
    }),
    GetSchema: unary<{ schemaId?: string }>((request) => {
      const schema = [...options.schemas.values()].find((s) => s.schemaId === request.schemaId);
      if (!schema) {
        throw new RpcError(
          grpc.status.NOT_FOUND,
          'sfdc.platform.eventbus.grpc.schema.not.found',
          `no schema "${request.schemaId ?? ''}"`,
        );
      }
      return { schemaJson: schema.schemaJson, schemaId: schema.schemaId, rpcId: randomUUID() };
    }),
    Publish: unary<PublishRequest>(publish),
    Subscribe: subscribe,
    PublishStream: unimplemented('PublishStream; use Publish'),
    ManagedSubscribe: unimplemented('managed subscriptions; subscribe with a replay id'),
  } as grpc.UntypedServiceImplementation;
}
