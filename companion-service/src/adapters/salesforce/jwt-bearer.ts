import { sign } from 'node:crypto';
import { OAuth2 } from 'jsforce';
import type { JwtAuth } from '../../config/salesforce-config.js';

/**
 * The OAuth 2.0 JWT bearer flow: an RS256 assertion (issuer = consumer key, subject = the integration
 * user, audience = the login URL, a three-minute expiry) exchanged at the token endpoint for a session.
 * No refresh token comes back; a new assertion is signed whenever the session expires.
 */

const ASSERTION_LIFETIME_S = 180;

export function signAssertion(auth: JwtAuth, nowMs: number): string {
  const encode = (part: object) => Buffer.from(JSON.stringify(part)).toString('base64url');
  const header = encode({ alg: 'RS256', typ: 'JWT' });
  const claims = encode({
    iss: auth.clientId,
    sub: auth.username,
    aud: auth.loginUrl,
    exp: Math.floor(nowMs / 1000) + ASSERTION_LIFETIME_S,
  });
  const signature = sign('RSA-SHA256', Buffer.from(`${header}.${claims}`), auth.privateKey).toString(
    'base64url',
  );
  return `${header}.${claims}.${signature}`;
}

export interface Session {
  accessToken: string;
  instanceUrl: string;
}

export class SalesforceAuthError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SalesforceAuthError';
  }
}

export async function requestSession(auth: JwtAuth, nowMs: number): Promise<Session> {
  const oauth2 = new OAuth2({ loginUrl: auth.loginUrl });
  try {
    const token = await oauth2.requestToken({
      grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer',
      assertion: signAssertion(auth, nowMs),
    });
    return { accessToken: token.access_token, instanceUrl: token.instance_url };
  } catch (error) {
    const e = error as Error;
    throw new SalesforceAuthError(
      `the JWT bearer login to ${auth.loginUrl} as ${auth.username} failed (${e.name}: ${e.message}); check SF_CLIENT_ID, SF_USERNAME, the connected app's certificate for SF_PRIVATE_KEY_FILE, and that the user's profile is pre-authorized for the app`,
    );
  }
}
