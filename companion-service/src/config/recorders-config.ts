import { z } from 'zod';
import { ConfigError, httpUrl, readSection, wholeNumber as whole, type Fixes } from './env.js';

/**
 * How Zoom, Microsoft Teams (Graph) and the other call recorders reach the service (ZOOM_*, TEAMS_*,
 * RECORDINGS_*), checked at start. Each channel is off until its secret is set: its route then answers
 * 503 saying which variable enables it, and never takes an unsigned delivery.
 */

export class RecordersConfigError extends ConfigError {}

const RecordersEnvSchema = z.object({
  ZOOM_WEBHOOK_SECRET_TOKEN: z.string().min(16).optional(),
  ZOOM_API_BASE_URL: httpUrl.default('https://zoom.us'),
  TEAMS_CLIENT_STATE: z.string().min(16).max(255).optional(),
  TEAMS_TENANT_ID: z.string().min(1).optional(),
  TEAMS_CLIENT_ID: z.string().min(1).optional(),
  TEAMS_CLIENT_SECRET: z.string().min(1).optional(),
  TEAMS_GRAPH_BASE_URL: httpUrl.default('https://graph.microsoft.com/v1.0'),
  TEAMS_LOGIN_BASE_URL: httpUrl.default('https://login.microsoftonline.com'),
  TEAMS_NOTIFICATION_URL: httpUrl.optional(),
  RECORDINGS_SECRET: z.string().min(32).optional(),
  RECORDINGS_MAX_SKEW_SECONDS: whole(30, 3600).default(300),
  RECORDINGS_TIMEOUT_MS: whole(100, 600_000).default(30_000),
});

const FIXES: Fixes<typeof RecordersEnvSchema> = {
  ZOOM_WEBHOOK_SECRET_TOKEN:
    "paste the Secret Token of your Zoom app's event subscription (Marketplace > your app > Features > Access)",
  ZOOM_API_BASE_URL: 'leave unset for zoom.us; only the local Zoom emulator sets it',
  TEAMS_CLIENT_STATE:
    'use a random string of 16 to 255 characters, and send the same as clientState when creating the Graph subscription',
  TEAMS_TENANT_ID: 'set the directory (tenant) id of your Microsoft Entra app registration',
  TEAMS_CLIENT_ID: 'set the application (client) id of your Microsoft Entra app registration',
  TEAMS_CLIENT_SECRET:
    'set a client secret of the app registration (it needs OnlineMeetingTranscript.Read.All)',
  TEAMS_GRAPH_BASE_URL: 'leave unset for https://graph.microsoft.com/v1.0; only the local Graph sets it',
  TEAMS_LOGIN_BASE_URL: 'leave unset for https://login.microsoftonline.com; only the local Graph sets it',
  TEAMS_NOTIFICATION_URL:
    "set the public https URL of this service's /webhooks/teams (https://<service>/webhooks/teams): the service then creates and renews the Graph subscription itself",
  RECORDINGS_SECRET:
    'use a random string of at least 32 characters, shared with the recorder that signs POST /v1/recordings',
  RECORDINGS_MAX_SKEW_SECONDS: 'use how old a signed delivery may be, in seconds (30 to 3600)',
  RECORDINGS_TIMEOUT_MS: 'use how long fetching one transcript may take, in milliseconds (100 to 600000)',
};

export interface ZoomSettings {
  /** Null: /webhooks/zoom answers 503. */
  secretToken: string | null;
  apiBaseUrl: string;
}

export interface TeamsCredentials {
  tenantId: string;
  clientId: string;
  clientSecret: string;
}

export interface TeamsSettings {
  /** Null: /webhooks/teams answers 503. */
  clientState: string | null;
  /** Null: notifications are taken, but transcripts cannot be fetched (the job goes dead with the fix). */
  credentials: TeamsCredentials | null;
  graphBaseUrl: string;
  loginBaseUrl: string;
  /**
   * The public URL of /webhooks/teams. Set with the credentials and clientState, the service creates
   * and renews the Graph subscription; unset, the operator keeps one by hand.
   */
  notificationUrl?: string | null;
}

export interface RecordersConfig {
  zoom: ZoomSettings;
  teams: TeamsSettings;
  /** Null: POST /v1/recordings answers 503. */
  recordingsSecret: string | null;
  /** How far a signed timestamp may be from now, either way (Zoom's, and the recorders'). */
  maxSkewSeconds: number;
  timeoutMs: number;
}

export const UNCONFIGURED_RECORDERS: RecordersConfig = {
  zoom: { secretToken: null, apiBaseUrl: 'https://zoom.us' },
  teams: {
    clientState: null,
    credentials: null,
    graphBaseUrl: 'https://graph.microsoft.com/v1.0',
    loginBaseUrl: 'https://login.microsoftonline.com',
    notificationUrl: null,
  },
  recordingsSecret: null,
  maxSkewSeconds: 300,
  timeoutMs: 30_000,
};

export function loadRecordersConfig(env: NodeJS.ProcessEnv): RecordersConfig {
  const e = readSection(env, RecordersEnvSchema, FIXES, {
    error: RecordersConfigError,
    secret: ['ZOOM_WEBHOOK_SECRET_TOKEN', 'TEAMS_CLIENT_STATE', 'TEAMS_CLIENT_SECRET', 'RECORDINGS_SECRET'],
    owns: ['ZOOM_', 'TEAMS_', 'RECORDINGS_'],
  });
  const teamsParts = [e.TEAMS_TENANT_ID, e.TEAMS_CLIENT_ID, e.TEAMS_CLIENT_SECRET];
  const setParts = teamsParts.filter(Boolean).length;
  if (setParts > 0 && setParts < 3) {
    const missing = (['TEAMS_TENANT_ID', 'TEAMS_CLIENT_ID', 'TEAMS_CLIENT_SECRET'] as const).filter(
      (_, i) => !teamsParts[i],
    );
    throw new RecordersConfigError(
      `${missing.join(' and ')} ${missing.length > 1 ? 'are' : 'is'} not set: the Graph client credentials need all three (${FIXES[missing[0]!]})`,
    );
  }
  return {
    zoom: {
      secretToken: e.ZOOM_WEBHOOK_SECRET_TOKEN ?? null,
      apiBaseUrl: e.ZOOM_API_BASE_URL.replace(/\/+$/, ''),
    },
    teams: {
      clientState: e.TEAMS_CLIENT_STATE ?? null,
      credentials:
        setParts === 3
          ? {
              tenantId: e.TEAMS_TENANT_ID!,
              clientId: e.TEAMS_CLIENT_ID!,
              clientSecret: e.TEAMS_CLIENT_SECRET!,
            }
          : null,
      graphBaseUrl: e.TEAMS_GRAPH_BASE_URL.replace(/\/+$/, ''),
      loginBaseUrl: e.TEAMS_LOGIN_BASE_URL.replace(/\/+$/, ''),
      notificationUrl: e.TEAMS_NOTIFICATION_URL ?? null,
    },
    recordingsSecret: e.RECORDINGS_SECRET ?? null,
    maxSkewSeconds: e.RECORDINGS_MAX_SKEW_SECONDS,
    timeoutMs: e.RECORDINGS_TIMEOUT_MS,
  };
}
