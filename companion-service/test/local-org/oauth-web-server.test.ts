import { createHash, randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalOrg, type LocalOrg } from '@pipeline-scribe/local-salesforce/org';

/**
 * The local org's OAuth 2.0 web server flow with PKCE, spoken to over loopback as Salesforce is: the
 * authorize redirect, the code exchanged once, the refresh, the revoke, userinfo, and the error
 * answers a client must handle.
 */

const CLIENT_ID = 'PipelineScribeExternalClientApp';
const SECRET = 'a-consumer-secret-for-tests';
const CALLBACK = 'https://scribe.example.com/oauth/callback';

let clock = Date.now();
let org: LocalOrg;

beforeAll(async () => {
  org = await startLocalOrg({
    dataPlan: null,
    now: () => clock,
    connectedApps: [{ consumerKey: CLIENT_ID, consumerSecret: SECRET, callbackUrls: [CALLBACK] }],
  });
}, 60_000);
afterAll(async () => org?.close());

function pkce() {
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
}

function authorizeUrl(params: Record<string, string>): string {
  const url = new URL('/services/oauth2/authorize', org.url);
  for (const [k, v] of Object.entries({
    response_type: 'code',
    client_id: CLIENT_ID,
    redirect_uri: CALLBACK,
    ...params,
  }))
    url.searchParams.set(k, v);
  return url.toString();
}

async function token(form: Record<string, string>) {
  const response = await fetch(`${org.url}/services/oauth2/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ client_id: CLIENT_ID, client_secret: SECRET, ...form }).toString(),
  });
  return { status: response.status, body: (await response.json()) as Record<string, string> };
}

async function codeFor(challenge: string, state = 'st-1'): Promise<string> {
  const back = new URL(await org.approveAuthorization(authorizeUrl({ state, code_challenge: challenge })));
  expect(back.origin + back.pathname).toBe(CALLBACK);
  expect(back.searchParams.get('state')).toBe(state);
  return back.searchParams.get('code')!;
}

describe('the local org web server flow', () => {
  it('approves, exchanges the code once, names the org in userinfo, refreshes and revokes', async () => {
    const { verifier, challenge } = pkce();
    const code = await codeFor(challenge);
    const tokens = await token({
      grant_type: 'authorization_code',
      code,
      redirect_uri: CALLBACK,
      code_verifier: verifier,
    });
    expect(tokens.status).toBe(200);
    expect(tokens.body).toMatchObject({ instance_url: org.url, token_type: 'Bearer' });
    expect(tokens.body.refresh_token).toBeTruthy();
    expect(tokens.body.signature).toBeTruthy();

    const again = await token({
      grant_type: 'authorization_code',
      code,
      redirect_uri: CALLBACK,
      code_verifier: verifier,
    });
    expect(again).toEqual({
      status: 400,
      body: { error: 'invalid_grant', error_description: 'invalid authorization code' },
    });

    const info = await fetch(`${org.url}/services/oauth2/userinfo`, {
      headers: { authorization: `Bearer ${tokens.body.access_token}` },
    });
    expect(((await info.json()) as { organization_id: string }).organization_id).toBe(org.orgId);
    expect(org.orgId).toMatch(/^00D[A-Za-z0-9]{15}$/);

    const refreshed = await token({ grant_type: 'refresh_token', refresh_token: tokens.body.refresh_token! });
    expect(refreshed.status).toBe(200);
    expect(org.sessionUser(refreshed.body.access_token!)).toBeTruthy();

    const revoke = await fetch(`${org.url}/services/oauth2/revoke`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ token: tokens.body.refresh_token! }).toString(),
    });
    expect(revoke.status).toBe(200);
    // The refresh token and every access token it gave are gone.
    expect(org.sessionUser(tokens.body.access_token!)).toBeNull();
    expect(org.sessionUser(refreshed.body.access_token!)).toBeNull();
    expect(await token({ grant_type: 'refresh_token', refresh_token: tokens.body.refresh_token! })).toEqual({
      status: 400,
      body: { error: 'invalid_grant', error_description: 'expired access/refresh token' },
    });
    const twice = await fetch(`${org.url}/services/oauth2/revoke`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ token: tokens.body.refresh_token! }).toString(),
    });
    expect(twice.status).toBe(400);
    expect(await twice.json()).toMatchObject({ error: 'invalid_token' });
  });

  it('refuses an expired code (15 minutes)', async () => {
    const { verifier, challenge } = pkce();
    const code = await codeFor(challenge);
    clock += 15 * 60_000 + 1;
    const answer = await token({
      grant_type: 'authorization_code',
      code,
      redirect_uri: CALLBACK,
      code_verifier: verifier,
    });
    expect(answer).toEqual({
      status: 400,
      body: { error: 'invalid_grant', error_description: 'expired authorization code' },
    });
  });

  it('refuses a wrong verifier with invalid_request and a missing one with invalid_grant', async () => {
    const first = pkce();
    const wrong = await token({
      grant_type: 'authorization_code',
      code: await codeFor(first.challenge),
      redirect_uri: CALLBACK,
      code_verifier: pkce().verifier,
    });
    expect(wrong.body.error).toBe('invalid_request');
    const missing = await token({
      grant_type: 'authorization_code',
      code: await codeFor(first.challenge),
      redirect_uri: CALLBACK,
    });
    expect(missing.body.error).toBe('invalid_grant');
  });

  it('refuses a wrong secret with invalid_client and an unknown app with invalid_client_id', async () => {
    const { verifier, challenge } = pkce();
    const code = await codeFor(challenge);
    expect(
      (
        await token({
          grant_type: 'authorization_code',
          code,
          redirect_uri: CALLBACK,
          code_verifier: verifier,
          client_secret: 'nope',
        })
      ).body.error,
    ).toBe('invalid_client');
    expect(
      (await token({ grant_type: 'refresh_token', refresh_token: 'x', client_id: 'SomeOtherApp' })).body
        .error,
    ).toBe('invalid_client_id');
  });

  it('shows redirect_uri_mismatch instead of redirecting to a callback the app does not have', async () => {
    const response = await fetch(
      authorizeUrl({
        redirect_uri: 'https://evil.example.com/cb',
        state: 's',
        code_challenge: pkce().challenge,
      }),
      {
        headers: { cookie: `sid=${org.issueAccessToken('admin@pipeline-scribe.local')}` },
        redirect: 'manual',
      },
    );
    expect(response.status).toBe(400);
    expect(response.headers.get('location')).toBeNull();
    expect(await response.text()).toBe(
      'error=redirect_uri_mismatch&error_description=redirect_uri%20must%20match%20configuration',
    );
  });

  it('sends other authorize errors back to the callback with the state', async () => {
    const back = new URL(
      await org.approveAuthorization(authorizeUrl({ response_type: 'token', state: 'keep-me' })),
    );
    expect(back.searchParams.get('error')).toBe('unsupported_response_type');
    expect(back.searchParams.get('state')).toBe('keep-me');
  });

  it('refuses a grant type it does not know', async () => {
    expect((await token({ grant_type: 'password', username: 'a', password: 'b' })).body.error).toBe(
      'unsupported_grant_type',
    );
  });
});
