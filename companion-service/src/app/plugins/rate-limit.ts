import { createHash } from 'node:crypto';
import fp from 'fastify-plugin';
import rateLimit from '@fastify/rate-limit';
import type { FastifyRequest } from 'fastify';

/**
 * A rate per source (@fastify/rate-limit): each caller, known by the key it presents or else by its
 * address, may make SCRIBE_RATE_LIMIT_PER_MINUTE requests a minute; beyond it, 429 with Retry-After.
 * The probes (/healthz, /readyz, /metrics) are never limited, so a flood cannot make a healthy
 * service look dead. The key itself is never kept: only a hash of it names the caller.
 */

export interface RateLimitOptions {
  perMinute: number;
}

const PROBES = new Set(['/healthz', '/readyz', '/metrics']);

export function sourceOf(request: FastifyRequest): string {
  const credential = request.headers.authorization;
  if (credential) return `key:${createHash('sha256').update(credential).digest('hex').slice(0, 32)}`;
  return `address:${request.ip}`;
}

export default fp<RateLimitOptions>(
  async (app, options) => {
    await app.register(rateLimit, {
      global: true,
      max: options.perMinute,
      timeWindow: 60_000,
      keyGenerator: sourceOf,
      allowList: (request) => PROBES.has(request.url.split('?')[0]!),
      // Thrown to the service's error handler, which answers { error } like every other 4xx.
      errorResponseBuilder: (_request, context) =>
        Object.assign(
          new Error(
            `too many requests from this source: at most ${context.max} a minute (SCRIBE_RATE_LIMIT_PER_MINUTE); try again in ${context.after}`,
          ),
          { statusCode: 429 },
        ),
    });
  },
  { name: 'rate-limit', fastify: '5.x' },
);
