import grpc from '@grpc/grpc-js';

/**
 * salesforce-pubsub-api-client 5.5.2 keeps its gRPC streams private, and its close() strips their
 * listeners while they are still open: when such a stream then fails (the server goes away, or ends
 * an idle stream), grpc-js emits 'error' with no listener and the process dies. The client offers no
 * way to cancel a subscription either. So the streams its Pub/Sub calls open are caught here as they
 * are made, an 'error' with nobody listening is dropped instead of thrown, and the subscriber can
 * cancel its own streams before closing the client.
 */

type BidiStream = grpc.ClientDuplexStream<unknown, unknown>;
type MakeBidi = (this: grpc.Client, method: string, ...rest: unknown[]) => BidiStream;

const PUBSUB_METHODS = '/eventbus.v1.PubSub/';
let collecting: BidiStream[] | null = null;
let installed = false;

function guard(stream: BidiStream): void {
  const emit = stream.emit.bind(stream);
  stream.emit = ((event: string | symbol, ...args: unknown[]) =>
    event === 'error' && stream.listenerCount('error') === 0
      ? false
      : emit(event, ...args)) as BidiStream['emit'];
}

function install(): void {
  if (installed) return;
  installed = true;
  const prototype = grpc.Client.prototype as unknown as { makeBidiStreamRequest: MakeBidi };
  const original = prototype.makeBidiStreamRequest;
  prototype.makeBidiStreamRequest = function (this: grpc.Client, method: string, ...rest: unknown[]) {
    const stream = original.call(this, method, ...rest);
    if (method.startsWith(PUBSUB_METHODS)) {
      guard(stream);
      collecting?.push(stream);
    }
    return stream;
  };
}

/** Runs fn (which subscribes, synchronously) and returns the gRPC streams it opened. */
export function streamsOpenedBy(fn: () => void): BidiStream[] {
  install();
  const opened: BidiStream[] = [];
  collecting = opened;
  try {
    fn();
  } finally {
    collecting = null;
  }
  return opened;
}
