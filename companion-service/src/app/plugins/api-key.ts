import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import fp from 'fastify-plugin';

/**
 * Who may call which route, decided on the route the router matched, never on the URL as sent: the
 * router decodes, so a check on the raw string (`/%761/conversations`, an absolute-form request line)
 * would see one path while the handler serves another. Every route asks for the key unless its
 * config says `access: 'open'` (liveness and readiness probes, and Gong's webhook, which carries its
 * own proof); a route added later is closed until someone decides otherwise. A request no route
 * matches gets a bare 404 that echoes nothing of what was sent.
 */

declare module 'fastify' {
  interface FastifyContextConfig {
    /** 'open': callers need no API key (probes; webhooks that authenticate themselves). */
    access?: 'open';
  }
}

export interface ApiKeyOptions {
  /** Every key accepted now: more than one while a key is being rotated. Empty: no key asked for. */
  apiKeys: readonly string[];
}

export const MISSING_KEY = 'missing or wrong API key: send Authorization: Bearer <SCRIBE_API_KEY>';

/**
 * The keys, kept only as MACs under a secret drawn at start. A sent token is MACed the same way and
 * compared with every key, all of them every time: each comparison is of two 32-byte digests, so
 * neither the time taken nor an early exit says how long a key is, how much of it matched, or which
 * key of several was close.
 */
export class ApiKeyring {
  private readonly secret = randomBytes(32);
  private readonly digests: Buffer[];

  constructor(keys: readonly string[]) {
    this.digests = keys.map((key) => this.digest(key));
  }

  get size(): number {
    return this.digests.length;
  }

  accepts(sent: string | undefined): boolean {
    const candidate = this.digest(sent ?? '');
    let accepted = false;
    for (const digest of this.digests) {
      // No short-circuit: every key is compared whatever the earlier ones said.
      accepted = timingSafeEqual(candidate, digest) || accepted;
    }
    return accepted && sent !== undefined && sent !== '';
  }

  private digest(text: string): Buffer {
    return createHmac('sha256', this.secret).update(text, 'utf8').digest();
  }
}

/** The token of `Authorization: Bearer <token>`, or undefined for any other header. */
export function bearerToken(authorization: string | undefined): string | undefined {
  return /^Bearer +(\S+) *$/i.exec(authorization ?? '')?.[1];
}

export default fp<ApiKeyOptions>(
  async (app, { apiKeys }) => {
    app.setNotFoundHandler((_request, reply) => reply.code(404).send({ error: 'not found' }));
    const keyring = new ApiKeyring(apiKeys.filter((key) => key.length > 0));
    if (keyring.size === 0) return;
    app.addHook('onRequest', async (request, reply) => {
      // No route matched: the not-found handler answers, and the key is not needed to learn that.
      if (request.is404) return;
      if (request.routeOptions.config.access === 'open') return;
      if (keyring.accepts(bearerToken(request.headers.authorization))) return;
      return reply.code(401).header('www-authenticate', 'Bearer').send({ error: MISSING_KEY });
    });
  },
  { name: 'api-key', fastify: '5.x' },
);
