import { z } from 'zod';
import { ConfigError, httpUrl, readSection, wholeNumber, type Fixes } from './env.js';

/**
 * One org or many (SCRIBE_TENANCY). Single, the default, is the service as it always was: the org the
 * SF_* settings (or the local org) name. Multi is the publisher's service for every org that installed
 * the package: each admin connects their org through the package's External Client App (the OAuth
 * web server flow with PKCE), and the service keeps each org's tokens encrypted under
 * SCRIBE_ENCRYPTION_KEY. Multi without a key is refused at start: tokens are never kept in clear.
 */

export class TenancyConfigError extends ConfigError {}

/** 32 random bytes, base64; how an operator makes one, named in every refusal. */
export const GENERATE_KEY = 'generate one with `openssl rand -base64 32`';

const encryptionKey = z
  .string()
  .transform((text) => Buffer.from(text, 'base64'))
  .refine((key) => key.length === 32);

const TenancyEnvSchema = z.object({
  SCRIBE_TENANCY: z.enum(['single', 'multi']).default('single'),
  SCRIBE_ENCRYPTION_KEY: encryptionKey.optional(),
  SCRIBE_ENCRYPTION_KEYS_PREVIOUS: z
    .string()
    .transform((list) => list.split(',').map((key) => key.trim()))
    .pipe(z.array(encryptionKey).min(1))
    .optional(),
  SCRIBE_OAUTH_CLIENT_ID: z.string().min(10).optional(),
  SCRIBE_OAUTH_CLIENT_SECRET: z.string().min(10).optional(),
  SCRIBE_OAUTH_CALLBACK_URL: httpUrl.optional(),
  SCRIBE_OAUTH_LOGIN_URL: httpUrl
    .transform((u) => u.replace(/\/+$/, ''))
    .default('https://login.salesforce.com'),
  SCRIBE_OAUTH_STATE_TTL_SECONDS: wholeNumber(60, 3600).default(600),
  SCRIBE_ORG_ERASURE_GRACE_DAYS: wholeNumber(0, 365).default(30),
  SCRIBE_ORG_METRIC_LABELS_MAX: wholeNumber(1, 10_000).default(200),
});

const FIXES: Fixes<typeof TenancyEnvSchema> = {
  SCRIBE_TENANCY:
    'use single (one org: the SF_* settings or the local org) or multi (every org that connects through the setup page)',
  SCRIBE_ENCRYPTION_KEY: `set it to 32 random bytes in base64, the key the orgs' tokens are encrypted with; ${GENERATE_KEY}`,
  SCRIBE_ENCRYPTION_KEYS_PREVIOUS:
    'list the keys used before SCRIBE_ENCRYPTION_KEY, separated by commas, each 32 bytes in base64 (kept until `scribe orgs rotate-key` has run)',
  SCRIBE_OAUTH_CLIENT_ID:
    "set it to the External Client App's consumer key (Pipeline Scribe Service, OAuth settings)",
  SCRIBE_OAUTH_CLIENT_SECRET: "set it to the External Client App's consumer secret",
  SCRIBE_OAUTH_CALLBACK_URL:
    "set it to the service's public https address followed by /oauth/callback, exactly as the External Client App's callback URL",
  SCRIBE_OAUTH_LOGIN_URL:
    'use https://login.salesforce.com (the setup page sends each org to its own My Domain)',
  SCRIBE_OAUTH_STATE_TTL_SECONDS:
    'use a whole number of seconds from 60 to 3600 an admin has to approve the connection',
  SCRIBE_ORG_ERASURE_GRACE_DAYS:
    "use a whole number of days from 0 to 365 a disconnected org's data is kept before it is erased",
  SCRIBE_ORG_METRIC_LABELS_MAX:
    'use a whole number from 1 to 10000: the orgs /metrics names one by one (later ones count as "other")',
};

export interface OAuthClientSettings {
  clientId: string;
  clientSecret: string | null;
  callbackUrl: string;
  /** The login URL, and the one other host (besides My Domains) the flow may be sent to. */
  loginUrl: string;
}

export type TenancyConfig =
  | { mode: 'single' }
  | {
      mode: 'multi';
      /** The current key, then the previous ones (decrypt only). */
      keys: { current: Buffer; previous: Buffer[] };
      oauth: OAuthClientSettings;
      stateTtlMs: number;
      erasureGraceMs: number;
      /** How many orgs get a metric label of their own. */
      maxOrgMetricLabels: number;
    };

export function loadTenancyConfig(env: NodeJS.ProcessEnv): TenancyConfig {
  const e = readSection(env, TenancyEnvSchema, FIXES, {
    error: TenancyConfigError,
    secret: ['SCRIBE_ENCRYPTION_KEY', 'SCRIBE_ENCRYPTION_KEYS_PREVIOUS', 'SCRIBE_OAUTH_CLIENT_SECRET'],
  });
  if (e.SCRIBE_TENANCY === 'single') return { mode: 'single' };
  const missing = (
    [
      ['SCRIBE_ENCRYPTION_KEY', e.SCRIBE_ENCRYPTION_KEY],
      ['SCRIBE_OAUTH_CLIENT_ID', e.SCRIBE_OAUTH_CLIENT_ID],
      ['SCRIBE_OAUTH_CALLBACK_URL', e.SCRIBE_OAUTH_CALLBACK_URL],
    ] as const
  ).filter(([, value]) => value === undefined);
  if (missing.length > 0) {
    throw new TenancyConfigError(
      missing
        .map(([name]) => `${name} is not set, and SCRIBE_TENANCY=multi needs it: ${FIXES[name]}`)
        .join('; '),
    );
  }
  return {
    mode: 'multi',
    keys: { current: e.SCRIBE_ENCRYPTION_KEY!, previous: e.SCRIBE_ENCRYPTION_KEYS_PREVIOUS ?? [] },
    oauth: {
      clientId: e.SCRIBE_OAUTH_CLIENT_ID!,
      clientSecret: e.SCRIBE_OAUTH_CLIENT_SECRET ?? null,
      callbackUrl: e.SCRIBE_OAUTH_CALLBACK_URL!,
      loginUrl: e.SCRIBE_OAUTH_LOGIN_URL,
    },
    stateTtlMs: e.SCRIBE_OAUTH_STATE_TTL_SECONDS * 1000,
    erasureGraceMs: e.SCRIBE_ORG_ERASURE_GRACE_DAYS * 86_400_000,
    maxOrgMetricLabels: e.SCRIBE_ORG_METRIC_LABELS_MAX,
  };
}
