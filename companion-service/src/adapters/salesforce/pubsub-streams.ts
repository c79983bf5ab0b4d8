import { createRequire } from 'node:module';
import type grpc from '@grpc/grpc-js';

/**
 * salesforce-pubsub-api-client 5.5.2 keeps its gRPC streams private, and its close() strips their
 * listeners while they are still open: when such a stream then fails (the server goes away, or ends
 * an idle stream), grpc-js emits 'error' with no listener and the process dies. The client offers no
 * way to cancel a subscription either. So the streams its Pub/Sub calls open are caught here as they
 * are made, an 'error' with nobody listening is dropped instead of thrown, and the subscriber can
 * cancel its own streams before closing the client.
 *
 * This reaches into grpc-js's internals: written for @grpc/grpc-js 1.14.7 under
 * salesforce-pubsub-api-client 5.5.2, both pinned, and checked as patches/README.md says.
 */

type BidiStream = grpc.ClientDuplexStream<unknown, unknown>;
type Write = (this: BidiStream, ...args: unknown[]) => boolean;
type Emit = (this: BidiStream, event: string | symbol, ...args: unknown[]) => boolean;

// grpc-js binds its request functions when it loads, so a stream is caught where it is used: the
// client writes its first FetchRequest synchronously inside subscribe.
const require = createRequire(import.meta.url);
const { ClientDuplexStreamImpl } = require('@grpc/grpc-js/build/src/call.js') as {
  ClientDuplexStreamImpl?: { prototype: { write: Write; emit: Emit } };
};
// An upgrade that moved the class fails at load, by name, rather than letting a stream error kill
// the process later.
if (typeof ClientDuplexStreamImpl?.prototype.write !== 'function') {
  throw new Error(
    '@grpc/grpc-js no longer exports ClientDuplexStreamImpl from build/src/call.js: the Pub/Sub stream guard in pubsub-streams.ts needs redoing for this version (see patches/README.md)',
  );
}

const guarded = new WeakSet<object>();
let collecting: BidiStream[] | null = null;
let installed = false;

function install(): void {
  if (installed) return;
  installed = true;
  const prototype = ClientDuplexStreamImpl!.prototype;
  const write = prototype.write;
  const emit = prototype.emit;
  prototype.write = function (this: BidiStream, ...args: unknown[]) {
    if (collecting && !guarded.has(this)) {
      guarded.add(this);
      collecting.push(this);
    }
    return write.apply(this, args);
  };
  prototype.emit = function (this: BidiStream, event: string | symbol, ...args: unknown[]) {
    if (event === 'error' && guarded.has(this) && this.listenerCount('error') === 0) return false;
    return emit.call(this, event, ...args);
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
