import { createHash } from 'node:crypto';
import fp from 'fastify-plugin';
import rateLimit from '@fastify/rate-limit';
import type { FastifyRequest } from 'fastify';
import { ApiKeyring, bearerToken } from './api-key.js';

/**
 * Two rates (@fastify/rate-limit). Per source: each caller, known by the key it presents or else by
 * its address, may make SCRIBE_RATE_LIMIT_PER_MINUTE requests a minute. Per org: the routes that
 * hand work to the queue (their config says `ingest: true`) take SCRIBE_RATE_LIMIT_ORG_PER_MINUTE
 * requests a minute from all sources together, so many keys or addresses cannot add up to a flood.
 * Only a key the service issued names a caller: any other credential (a forged key, or Gong's JWT,
 * which differs on every webhook) would let a sender be a new source on each request, so those
 * callers are known by their address.
 * Beyond either, 429 with Retry-After and the limit named. The probes (/healthz, /readyz, /metrics)
 * are never limited, so a flood cannot make a healthy service look dead. The key itself is never
 * kept: only a hash of it names the caller.
 */

declare module 'fastify' {
  interface FastifyContextConfig {
    /** true: the route queues work for the org, and counts against the org's rate. */
    ingest?: boolean;
  }
}

export interface RateLimitOptions {
  perMinute: number;
  orgPerMinute: number;
  /** The service's own API keys: a caller presenting one of them has its own allowance. */
  apiKeys: readonly string[];
}

const PROBES = new Set(['/healthz', '/readyz', '/metrics']);

/** The service writes to one org, so every ingest request counts against this one key. */
const ORG = 'org';

export function sourceOf(keyring: ApiKeyring): (request: FastifyRequest) => string {
  return (request) => {
    const token = bearerToken(request.headers.authorization);
    if (token !== undefined && keyring.accepts(token))
      return `key:${createHash('sha256').update(token).digest('hex').slice(0, 32)}`;
    return `address:${request.ip}`;
  };
}

/** Thrown to the service's error handler, which answers { error } like every other 4xx. */
const tooMany = (message: string) => Object.assign(new Error(message), { statusCode: 429 });

export default fp<RateLimitOptions>(
  async (app, options) => {
    await app.register(rateLimit, {
      global: true,
      max: options.perMinute,
      timeWindow: 60_000,
      keyGenerator: sourceOf(new ApiKeyring(options.apiKeys.filter((key) => key.length > 0))),
      allowList: (request) => PROBES.has(request.url.split('?')[0]!),
      errorResponseBuilder: (_request, context) =>
        tooMany(
          `too many requests from this source: at most ${context.max} a minute (SCRIBE_RATE_LIMIT_PER_MINUTE); try again in ${context.after}`,
        ),
    });
    // Registered second, so its hook runs after the source's: a source already refused uses up
    // none of the org's allowance.
    await app.register(rateLimit, {
      global: true,
      max: options.orgPerMinute,
      timeWindow: 60_000,
      keyGenerator: () => ORG,
      allowList: (request) => request.routeOptions.config.ingest !== true,
      // The source's own counters stay in the x-ratelimit-* headers; this limit adds Retry-After.
      addHeadersOnExceeding: {
        'x-ratelimit-limit': false,
        'x-ratelimit-remaining': false,
        'x-ratelimit-reset': false,
      },
      addHeaders: {
        'x-ratelimit-limit': false,
        'x-ratelimit-remaining': false,
        'x-ratelimit-reset': false,
        'retry-after': true,
      },
      errorResponseBuilder: (_request, context) =>
        tooMany(
          `too many requests to this org from all sources together: at most ${context.max} a minute (SCRIBE_RATE_LIMIT_ORG_PER_MINUTE); try again in ${context.after}`,
        ),
    });
  },
  { name: 'rate-limit', fastify: '5.x' },
);
