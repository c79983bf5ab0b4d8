import { createPublicKey } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { ConfigError, httpUrl, problemWith, readSection, wholeNumber as whole, type Fixes } from './env.js';

/**
 * How Gong reaches the service and how the service reaches Gong (GONG_*), checked at start: the
 * webhook's authentication (the public key Gong signs its JWTs for, or the key in the URL), the
 * endpoint's public URL the JWT names, and the API's credentials and limits.
 */

export class GongConfigError extends ConfigError {}

const GongEnvSchema = z.object({
  GONG_WEBHOOK_PUBLIC_KEY: z.string().min(1).optional(),
  GONG_WEBHOOK_PUBLIC_KEY_FILE: z.string().min(1).optional(),
  GONG_WEBHOOK_URL: httpUrl.optional(),
  GONG_WEBHOOK_KEY: z.string().min(16).optional(),
  GONG_API_BASE_URL: httpUrl.default('https://api.gong.io'),
  GONG_ACCESS_KEY: z.string().min(1).optional(),
  GONG_ACCESS_KEY_SECRET: z.string().min(1).optional(),
  GONG_OAUTH_TOKEN: z.string().min(1).optional(),
  GONG_REQUESTS_PER_SECOND: whole(1, 100).default(3),
  GONG_TIMEOUT_MS: whole(100, 600_000).default(30_000),
  GONG_MAX_RETRIES: whole(0, 10).default(3),
});

const FIXES: Fixes<typeof GongEnvSchema> = {
  GONG_WEBHOOK_PUBLIC_KEY:
    "paste the public key Gong shows for the webhook rule (PEM, '-----BEGIN PUBLIC KEY-----', or its base64 body)",
  GONG_WEBHOOK_PUBLIC_KEY_FILE:
    'set the path of a file holding the PEM public key Gong shows for the webhook rule',
  GONG_WEBHOOK_URL:
    "set the public URL Gong posts to, exactly as entered in the rule, such as https://scribe.example.com/webhooks/gong (the JWT's webhook_url must equal it)",
  GONG_WEBHOOK_KEY: 'use a random string of at least 16 characters and add it to the rule URL as ?key=<it>',
  GONG_API_BASE_URL: 'set the API base URL of your Gong region, such as https://us-12345.api.gong.io',
  GONG_ACCESS_KEY: 'set the access key from Gong (Company settings, API)',
  GONG_ACCESS_KEY_SECRET: 'set the access key secret from Gong (Company settings, API)',
  GONG_OAUTH_TOKEN:
    'set an OAuth access token of your Gong app, or use GONG_ACCESS_KEY and GONG_ACCESS_KEY_SECRET',
  GONG_REQUESTS_PER_SECOND: "use a whole number from 1 to 100 (Gong's limit is 3)",
  GONG_TIMEOUT_MS: 'use how long one Gong API call may take, in milliseconds (100 to 600000)',
  GONG_MAX_RETRIES: 'use how often a Gong 429 or 5xx is retried, from 0 to 10',
};

const problem = problemWith(FIXES);

export type GongApiAuth =
  { kind: 'basic'; accessKey: string; secret: string } | { kind: 'bearer'; token: string };

export interface GongWebhookAuth {
  /** PEM (SPKI) of the key Gong signs webhook JWTs with; null when the rule uses a URL key. */
  publicKey: string | null;
  /** The endpoint's public URL, as the JWT's webhook_url claim names it. */
  webhookUrl: string | null;
  /** The secret in the rule's URL (?key=); null when the rule signs a JWT. */
  urlKey: string | null;
}

export interface GongApiSettings {
  baseUrl: string;
  /** Null when no credentials are set: webhooks are taken, but their transcripts cannot be fetched. */
  auth: GongApiAuth | null;
  requestsPerSecond: number;
  timeoutMs: number;
  maxRetries: number;
}

export interface GongConfig {
  webhook: GongWebhookAuth;
  api: GongApiSettings;
}

/** Gong shows the key as PEM or as its bare base64 body; either becomes PEM, or the fix is named. */
function publicKeyPem(text: string, variable: string): string {
  const trimmed = text.trim();
  const pem = trimmed.includes('-----BEGIN')
    ? trimmed
    : `-----BEGIN PUBLIC KEY-----\n${trimmed.replace(/\s+/g, '')}\n-----END PUBLIC KEY-----`;
  try {
    createPublicKey(pem);
  } catch {
    throw new GongConfigError(
      `${variable} does not hold a readable public key: ${FIXES.GONG_WEBHOOK_PUBLIC_KEY}`,
    );
  }
  return pem;
}

export function loadGongConfig(env: NodeJS.ProcessEnv): GongConfig {
  const e = readSection(env, GongEnvSchema, FIXES, {
    error: GongConfigError,
    // The public key is no secret, but its PEM would swamp the message.
    secret: ['GONG_WEBHOOK_KEY', 'GONG_ACCESS_KEY_SECRET', 'GONG_OAUTH_TOKEN', 'GONG_WEBHOOK_PUBLIC_KEY'],
    owns: ['GONG_'],
  });
  let publicKey: string | null = null;
  if (e.GONG_WEBHOOK_PUBLIC_KEY)
    publicKey = publicKeyPem(e.GONG_WEBHOOK_PUBLIC_KEY, 'GONG_WEBHOOK_PUBLIC_KEY');
  else if (e.GONG_WEBHOOK_PUBLIC_KEY_FILE) {
    let text: string;
    try {
      // eslint-disable-next-line security/detect-non-literal-fs-filename -- the operator's own setting names the file
      text = readFileSync(e.GONG_WEBHOOK_PUBLIC_KEY_FILE, 'utf8');
    } catch {
      throw new GongConfigError(
        problem('GONG_WEBHOOK_PUBLIC_KEY_FILE', `("${e.GONG_WEBHOOK_PUBLIC_KEY_FILE}") cannot be read`),
      );
    }
    publicKey = publicKeyPem(text, 'GONG_WEBHOOK_PUBLIC_KEY_FILE');
  }
  if (publicKey && !e.GONG_WEBHOOK_URL) {
    throw new GongConfigError(problem('GONG_WEBHOOK_URL', 'is not set, and signed webhooks need it'));
  }
  if (e.GONG_ACCESS_KEY && !e.GONG_ACCESS_KEY_SECRET) {
    throw new GongConfigError(problem('GONG_ACCESS_KEY_SECRET', 'is not set'));
  }
  if (e.GONG_ACCESS_KEY_SECRET && !e.GONG_ACCESS_KEY) {
    throw new GongConfigError(problem('GONG_ACCESS_KEY', 'is not set'));
  }
  const auth: GongApiAuth | null = e.GONG_OAUTH_TOKEN
    ? { kind: 'bearer', token: e.GONG_OAUTH_TOKEN }
    : e.GONG_ACCESS_KEY && e.GONG_ACCESS_KEY_SECRET
      ? { kind: 'basic', accessKey: e.GONG_ACCESS_KEY, secret: e.GONG_ACCESS_KEY_SECRET }
      : null;
  return {
    webhook: { publicKey, webhookUrl: e.GONG_WEBHOOK_URL ?? null, urlKey: e.GONG_WEBHOOK_KEY ?? null },
    api: {
      baseUrl: e.GONG_API_BASE_URL.replace(/\/+$/, ''),
      auth,
      requestsPerSecond: e.GONG_REQUESTS_PER_SECOND,
      timeoutMs: e.GONG_TIMEOUT_MS,
      maxRetries: e.GONG_MAX_RETRIES,
    },
  };
}
