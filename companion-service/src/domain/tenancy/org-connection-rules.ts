/**
 * What decides a connected org's lot in a multi-org service: which ids are orgs, where an admin may be
 * sent to approve, and what a failed refresh means. Pure: no clock, no I/O.
 */

/** An 18-character Salesforce org id, the key of every connected org. */
export const ORG_ID = /^00D[A-Za-z0-9]{15}$/;

export const isOrgId = (text: string): boolean => ORG_ID.test(text);

/**
 * A My Domain login URL (production, sandbox and scratch orgs' all end in .my.salesforce.com, as the
 * revoke endpoint's documentation shows them), or the login URL
 * the service is configured with. Anything else is refused: the service sends the authorization code,
 * the verifier and its client secret to this host, so it must be Salesforce's.
 */
export function loginUrlAllowed(url: string, configuredLoginUrl: string): boolean {
  if (url === configuredLoginUrl) return true;
  return /^https:\/\/[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*\.my\.salesforce\.com$/i.test(
    url,
  );
}

/**
 * invalid_grant means the refresh token is gone (revoked by an admin, expired by the app's policy, or
 * the user deactivated): only reconnecting helps. Anything else (Salesforce unreachable, a 5xx) may pass,
 * and the next call tries again.
 */
export function stateAfterRefreshFailure(errorCode: string): 'revoked' | 'refresh_failed' {
  return errorCode === 'invalid_grant' ? 'revoked' : 'refresh_failed';
}

/** Connected, or failing to refresh but still holding tokens worth trying: the org can be worked. */
export const canUseTokens = (state: string): boolean => state === 'connected' || state === 'refresh_failed';

/** What happens to an org's connection, as metrics count it. */
export type OrgConnectionEvent =
  'connected' | 'refreshed' | 'refresh_failed' | 'revoked' | 'disconnected' | 'erased';
