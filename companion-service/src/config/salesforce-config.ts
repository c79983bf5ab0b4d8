import { readFileSync } from 'node:fs';
import { createPrivateKey } from 'node:crypto';
import { z } from 'zod';
import {
  ConfigError,
  httpUrl as anyHttpUrl,
  presentVariables,
  problemWith,
  readSection,
  wholeNumber,
  type Fixes,
} from './env.js';

/**
 * The SF_* settings, checked once at start. The service connects to a real org with the JWT bearer
 * flow (a connected app and the integration user) or with an access token and instance URL, or both
 * (the token first, JWT to re-authenticate when it expires). The emulated local org runs only when
 * asked for: SF_ORG=local, or a command that is about the local org (`scribe start`). Every missing,
 * bad or misspelled SF_* setting stops the start, named with its fix: a service that quietly fell
 * back to the emulated org would report ready and take real work.
 */

export class SalesforceConfigError extends ConfigError {}

export interface JwtAuth {
  loginUrl: string;
  clientId: string;
  username: string;
  privateKey: string;
}

export interface SalesforceTuning {
  apiVersion: string;
  /** Share of the daily API limit past which calls are spaced out. */
  slowdownAt: number;
  /** The longest pause before a call, reached as usage nears the limit. */
  maxDelayMs: number;
  /** How long rules and describes read from the org are reused. */
  rulesTtlMs: number;
}

export type SalesforceConfig =
  | ({ kind: 'local' } & SalesforceTuning)
  | ({
      kind: 'org';
      jwt: JwtAuth | null;
      token: { instanceUrl: string; accessToken: string } | null;
    } & SalesforceTuning);

const httpUrl = anyHttpUrl.transform((u) => u.replace(/\/+$/, ''));

const SalesforceEnvSchema = z.object({
  SF_ORG: z.enum(['local']).optional(),
  SF_LOGIN_URL: httpUrl.default('https://login.salesforce.com'),
  SF_CLIENT_ID: z.string().min(10).optional(),
  SF_USERNAME: z
    .string()
    .regex(/^[^\s@]+@[^\s@]+$/)
    .optional(),
  SF_PRIVATE_KEY_FILE: z.string().min(1).optional(),
  SF_PRIVATE_KEY: z.string().includes('PRIVATE KEY').optional(),
  SF_INSTANCE_URL: httpUrl.optional(),
  SF_ACCESS_TOKEN: z.string().min(10).optional(),
  SF_API_VERSION: z
    .string()
    .regex(/^\d{2}\.0$/)
    .default('62.0'),
  SF_API_SLOWDOWN_AT: z.coerce.number().min(0).max(1).default(0.8),
  SF_API_MAX_DELAY_MS: wholeNumber(0).max(60_000).default(2_000),
  SF_RULES_CACHE_SECONDS: wholeNumber(0).default(300),
});
type SalesforceEnv = z.infer<typeof SalesforceEnvSchema>;

/** How to fix each setting; never echoes a secret. */
const FIXES: Fixes<typeof SalesforceEnvSchema> = {
  SF_ORG: 'use local for the emulated local org, or unset it and set the SF_* settings of a real org',
  SF_LOGIN_URL:
    'use https://login.salesforce.com, https://test.salesforce.com for a sandbox, or your My Domain URL',
  SF_CLIENT_ID: "set it to the connected app's consumer key (Setup > App Manager > your app > View)",
  SF_USERNAME: "set it to the integration user's username, such as pipeline-scribe@yourcompany.com",
  SF_PRIVATE_KEY_FILE: 'set it to the PEM file of the private key whose certificate the connected app holds',
  SF_PRIVATE_KEY:
    'set it to the PEM text of the private key (with its BEGIN/END lines), or use SF_PRIVATE_KEY_FILE',
  SF_INSTANCE_URL: "set it to the org's instance URL, such as https://yourcompany.my.salesforce.com",
  SF_ACCESS_TOKEN: 'set it to a session id or OAuth access token (for example from `sf org display`)',
  SF_API_VERSION: 'use a version such as 62.0',
  SF_API_SLOWDOWN_AT: 'use a share between 0 and 1, such as 0.8 (slow down past 80% of the daily API limit)',
  SF_API_MAX_DELAY_MS: 'use a whole number of milliseconds up to 60000',
  SF_RULES_CACHE_SECONDS:
    'use a whole number of seconds (0 reads the rules from the org for every conversation)',
};
const CONNECTION = [
  'SF_CLIENT_ID',
  'SF_USERNAME',
  'SF_PRIVATE_KEY_FILE',
  'SF_PRIVATE_KEY',
  'SF_INSTANCE_URL',
  'SF_ACCESS_TOKEN',
] as const;

const problem = problemWith(FIXES);

/**
 * The Salesforce CLI's own SF_* variables, which a developer's shell or CI sets for `sf` (this
 * project's CI sets two): not ours, not mistakes. From "Salesforce CLI Environment Variables",
 * https://developer.salesforce.com/docs/platform/sfdx-setup/guide/sfdx-dev-cli-env-variables.md
 */
const SALESFORCE_CLI_VARIABLES: ReadonlySet<string> = new Set([
  'SF_APPLY_REPLACEMENTS_ON_CONVERT',
  'SF_AUDIENCE_URL',
  'SF_AUTOUPDATE_DISABLE',
  'SF_CODE_COVERAGE_REQUIREMENT',
  'SF_CONTAINER_MODE',
  'SF_CONTENT_TYPE',
  'SF_DISABLE_AUTOUPDATE',
  'SF_DISABLE_DNS_CHECK',
  'SF_DISABLE_LOG_FILE',
  'SF_DISABLE_SOURCE_MEMBER_POLLING',
  'SF_DISABLE_TELEMETRY',
  'SF_DNS_TIMEOUT',
  'SF_DOMAIN_RETRY',
  'SF_ENV',
  'SF_HIDE_RELEASE_NOTES',
  'SF_HIDE_RELEASE_NOTES_FOOTER',
  'SF_IMPROVED_CODE_COVERAGE',
  'SF_JSON_TO_STDOUT',
  'SF_LAZY_LOAD_MODULES',
  'SF_LOG_LEVEL',
  'SF_LOG_ROTATION_COUNT',
  'SF_LOG_ROTATION_PERIOD',
  'SF_MDAPI_TEMP_DIR',
  'SF_NPM_REGISTRY',
  'SF_ORG_API_VERSION',
  'SF_ORG_CAPITALIZE_RECORD_TYPES',
  'SF_ORG_INSTANCE_URL',
  'SF_ORG_MAX_QUERY_LIMIT',
  'SF_ORG_METADATA_REST_DEPLOY',
  'SF_PRECOMPILE_ENABLE',
  'SF_SKIP_NEW_VERSION_CHECK',
  'SF_SOURCE_MEMBER_POLLING_TIMEOUT',
  'SF_TARGET_DEV_HUB',
  'SF_TARGET_ORG',
  'SF_UPDATE_INSTRUCTIONS',
  'SF_USE_GENERIC_UNIX_KEYCHAIN',
  'SF_USE_PROGRESS_BAR',
]);

export interface SalesforceConfigOptions {
  /** The command is about the local org (`scribe start`): with no SF_* org named, it is the one. */
  localUnlessConfigured?: boolean;
}

const NO_ORG =
  'no Salesforce org is set: set SF_CLIENT_ID, SF_USERNAME and SF_PRIVATE_KEY_FILE (the JWT bearer flow) or SF_INSTANCE_URL and SF_ACCESS_TOKEN for a real org, or SF_ORG=local for the emulated local org';

function readPrivateKey(env: SalesforceEnv, problems: string[]): string | null {
  let pem = env.SF_PRIVATE_KEY?.replace(/\\n/g, '\n') ?? null;
  if (env.SF_PRIVATE_KEY_FILE) {
    try {
      // eslint-disable-next-line security/detect-non-literal-fs-filename -- the operator's own setting names the file
      pem = readFileSync(env.SF_PRIVATE_KEY_FILE, 'utf8');
    } catch (error) {
      problems.push(
        problem(
          'SF_PRIVATE_KEY_FILE',
          `cannot be read (${(error as NodeJS.ErrnoException).code ?? 'error'})`,
        ),
      );
      return null;
    }
  }
  if (!pem) return null;
  try {
    createPrivateKey(pem);
    return pem;
  } catch {
    const name = env.SF_PRIVATE_KEY_FILE ? 'SF_PRIVATE_KEY_FILE' : 'SF_PRIVATE_KEY';
    problems.push(problem(name, 'does not hold a PEM private key'));
    return null;
  }
}

export function loadSalesforceConfig(
  env: NodeJS.ProcessEnv,
  options: SalesforceConfigOptions = {},
): SalesforceConfig {
  const e = readSection(env, SalesforceEnvSchema, FIXES, {
    error: SalesforceConfigError,
    secret: ['SF_PRIVATE_KEY', 'SF_ACCESS_TOKEN'],
    owns: ['SF_'],
    othersUse: SALESFORCE_CLI_VARIABLES,
  });
  const tuning: SalesforceTuning = {
    apiVersion: e.SF_API_VERSION,
    slowdownAt: e.SF_API_SLOWDOWN_AT,
    maxDelayMs: e.SF_API_MAX_DELAY_MS,
    rulesTtlMs: e.SF_RULES_CACHE_SECONDS * 1000,
  };
  // SF_LOGIN_URL has a default, so only a value the operator set names an org.
  const loginUrlSet = presentVariables(env, ['SF_LOGIN_URL']).SF_LOGIN_URL !== undefined;
  const named = [
    ...(loginUrlSet ? ['SF_LOGIN_URL'] : []),
    ...CONNECTION.filter((name) => e[name] !== undefined),
  ];
  if (e.SF_ORG === 'local') {
    if (named.length === 0) return { kind: 'local', ...tuning };
    throw new SalesforceConfigError(
      `SF_ORG is local, but ${named.join(', ')} name${named.length === 1 ? 's' : ''} a real org: unset SF_ORG to use the real org, or unset ${named.join(', ')} to use the local one`,
    );
  }
  if (named.length === 0) {
    if (options.localUnlessConfigured) return { kind: 'local', ...tuning };
    throw new SalesforceConfigError(NO_ORG);
  }

  const problems: string[] = [];
  const wantsToken = e.SF_INSTANCE_URL !== undefined || e.SF_ACCESS_TOKEN !== undefined;
  const wantsJwt = [e.SF_CLIENT_ID, e.SF_USERNAME, e.SF_PRIVATE_KEY_FILE, e.SF_PRIVATE_KEY].some(
    (v) => v !== undefined,
  );
  if (wantsToken) {
    if (!e.SF_INSTANCE_URL)
      problems.push(problem('SF_INSTANCE_URL', 'is not set, and SF_ACCESS_TOKEN needs it'));
    if (!e.SF_ACCESS_TOKEN)
      problems.push(problem('SF_ACCESS_TOKEN', 'is not set, and SF_INSTANCE_URL needs it'));
  }
  if (loginUrlSet && !wantsJwt) {
    problems.push(
      problem(
        'SF_LOGIN_URL',
        'is set, but the JWT bearer flow it is for needs SF_CLIENT_ID, SF_USERNAME and SF_PRIVATE_KEY_FILE too',
      ),
    );
  }
  if (wantsJwt) {
    if (!e.SF_CLIENT_ID)
      problems.push(problem('SF_CLIENT_ID', 'is not set, and the JWT bearer flow needs it'));
    if (!e.SF_USERNAME) problems.push(problem('SF_USERNAME', 'is not set, and the JWT bearer flow needs it'));
    if (!e.SF_PRIVATE_KEY_FILE && !e.SF_PRIVATE_KEY) {
      problems.push(
        problem(
          'SF_PRIVATE_KEY_FILE',
          'is not set (nor SF_PRIVATE_KEY), and the JWT bearer flow needs a key',
        ),
      );
    }
  }
  const privateKey = wantsJwt ? readPrivateKey(e, problems) : null;
  if (problems.length > 0) throw new SalesforceConfigError(problems.join('; '));
  return {
    kind: 'org',
    ...tuning,
    jwt: wantsJwt
      ? {
          loginUrl: e.SF_LOGIN_URL,
          clientId: e.SF_CLIENT_ID!,
          username: e.SF_USERNAME!,
          privateKey: privateKey!,
        }
      : null,
    token: wantsToken ? { instanceUrl: e.SF_INSTANCE_URL!, accessToken: e.SF_ACCESS_TOKEN! } : null,
  };
}
