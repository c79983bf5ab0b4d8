import type { LoggerOptions } from 'pino';
import { CENSOR, redactLogLine } from '../domain/privacy/log-redaction.js';

/**
 * How every logger of the service is made (the server's, and the CLI commands' own): pino's `redact`
 * for the known places, cheap and exact, and every line walked once more before it is written, so a
 * token, key, email address or phone number nested at any depth (an error's cause, a Salesforce or
 * Gong answer) never reaches the log either.
 */

/** Tokens, keys and what customers said, where the service's own log calls put them. */
export const REDACT = [
  'req.headers.authorization',
  'req.headers.cookie',
  '*.authorization',
  '*.accessToken',
  '*.access_token',
  '*.privateKey',
  '*.assertion',
  '*.content',
  '*.email',
  '*.emailAddress',
];

export function loggerOptions(level: string): LoggerOptions {
  return {
    level,
    redact: { paths: REDACT, censor: CENSOR },
    hooks: { streamWrite: redactLogLine },
  };
}

/** Request lines without the Gong rule's URL key, nor the OAuth callback's code and state. */
export const withoutUrlSecrets = (url: string) =>
  url.replace(/([?&](?:key|code|state)=)[^&#]*/gi, '$1[redacted]');

/** How the server logs a request: its URL without secrets, never its headers. */
export const requestSerializers = {
  req: (request: { method: string; url: string; hostname?: string; ip?: string }) => ({
    method: request.method,
    url: withoutUrlSecrets(request.url),
    host: request.hostname,
    remoteAddress: request.ip,
  }),
};
