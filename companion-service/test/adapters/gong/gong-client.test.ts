import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { GongApiError, GongClient } from '../../../src/adapters/gong/gong-client.js';
import { conversationForCall, GongCallNotFound } from '../../../src/adapters/gong/call-conversation.js';
import type { GongApiSettings } from '../../../src/config/gong-config.js';
import {
  callFromSample,
  startLocalGong,
  type LocalGong,
  type LocalGongCall,
} from '@pipeline-scribe/local-salesforce/gong';
import { parseConversation } from '../../../src/domain/source/detect.js';
import { SAMPLES } from '../../../src/cli/start-command.js';

/** The Gong client against the local Gong API over loopback: auth, paging, pacing, 429 and 5xx. */

let gong: LocalGong | null = null;

afterEach(async () => {
  await gong?.close();
  gong = null;
});

const settings = (url: string, extra: Partial<GongApiSettings> = {}): GongApiSettings => ({
  baseUrl: url,
  auth: { kind: 'basic', accessKey: 'local-access-key', secret: 'local-access-key-secret' },
  requestsPerSecond: 3,
  timeoutMs: 5000,
  maxRetries: 3,
  ...extra,
});

function call(id: string, started = '2026-03-10T16:00:00Z'): LocalGongCall {
  return {
    metaData: { id, title: `Call ${id}`, started },
    parties: [{ id: '1', name: 'Roger Lane', speakerId: 's1', affiliation: 'Internal' }],
    transcript: [
      { speakerId: 's1', topic: null, sentences: [{ start: 0, end: 1000, text: `Hello from call ${id}.` }] },
    ],
  };
}

async function sampleCall(): Promise<LocalGongCall> {
  const sample = JSON.parse(await readFile(path.join(SAMPLES, '01-fabrikam-discovery.gong.json'), 'utf8'));
  return callFromSample(sample);
}

describe('GongClient', () => {
  it('fetches a transcript with Basic auth, and with an OAuth token', async () => {
    gong = await startLocalGong({ calls: [call('101')], oauthToken: 'oauth-token-1' });
    const basic = await new GongClient(settings(gong.url)).transcripts(['101']);
    expect(basic[0]!.transcript[0]!.sentences[0]!.text).toBe('Hello from call 101.');
    const bearer = await new GongClient(
      settings(gong.url, { auth: { kind: 'bearer', token: 'oauth-token-1' } }),
    ).transcripts(['101']);
    expect(bearer).toHaveLength(1);
  });

  it("surfaces Gong's refusal with its request id and messages, and does not retry it", async () => {
    gong = await startLocalGong({ calls: [call('101')] });
    const client = new GongClient(
      settings(gong.url, { auth: { kind: 'basic', accessKey: 'local-access-key', secret: 'wrong' } }),
    );
    const error = await client.transcripts(['101']).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GongApiError);
    const e = error as GongApiError;
    expect(e.status).toBe(401);
    expect(e.transient).toBe(false);
    expect(e.requestId).toMatch(/^[0-9a-f]{20}$/);
    expect(e.errors).toEqual(['Unauthorized: invalid access key or token']);
    expect(e.message).toContain('GONG_ACCESS_KEY');
    expect(e.message).not.toContain('wrong');
    expect(gong.requests).toHaveLength(1);
  });

  it('follows the cursor through every page', async () => {
    gong = await startLocalGong({
      calls: ['1', '2', '3', '4', '5'].map((id) => call(id)),
      pageSize: 2,
      requestsPerSecond: 50,
    });
    const transcripts = await new GongClient(settings(gong.url, { requestsPerSecond: 50 })).transcripts([
      '1',
      '2',
      '3',
      '4',
      '5',
    ]);
    expect(transcripts.map((t) => t.callId)).toEqual(['1', '2', '3', '4', '5']);
    expect(gong.requests).toHaveLength(3);
  });

  it('keeps to 3 requests a second, so Gong never has to say 429', async () => {
    gong = await startLocalGong({ calls: [call('1')], requestsPerSecond: 3 });
    const client = new GongClient(settings(gong.url));
    const started = Date.now();
    await Promise.all(Array.from({ length: 7 }, () => client.transcripts(['1'])));
    expect(Date.now() - started).toBeGreaterThanOrEqual(2000);
    expect(gong.requests.map((r) => r.status)).toEqual(Array(7).fill(200));
  });

  it('waits as long as Retry-After says after a 429, then succeeds', async () => {
    gong = await startLocalGong({ calls: [call('1')], requestsPerSecond: 50, retryAfterSeconds: 1 });
    gong.failNext(429);
    const started = Date.now();
    const transcripts = await new GongClient(settings(gong.url, { requestsPerSecond: 50 })).transcripts([
      '1',
    ]);
    expect(transcripts).toHaveLength(1);
    expect(gong.requests.map((r) => r.status)).toEqual([429, 200]);
    expect(gong.requests[1]!.at - started).toBeGreaterThanOrEqual(1000);
  });

  it('retries 5xx with backoff, and reports a transient error when Gong stays down', async () => {
    gong = await startLocalGong({ calls: [call('1')], requestsPerSecond: 50 });
    gong.failNext(503, 2);
    const client = new GongClient(settings(gong.url, { requestsPerSecond: 50 }), { backoffBaseMs: 20 });
    expect(await client.transcripts(['1'])).toHaveLength(1);
    expect(gong.requests.map((r) => r.status)).toEqual([503, 503, 200]);

    gong.failNext(500, 5);
    const error = (await client.transcripts(['1']).catch((e: unknown) => e)) as GongApiError;
    expect(error).toBeInstanceOf(GongApiError);
    expect(error.status).toBe(500);
    expect(error.transient).toBe(true);
  });

  it('reports an unreachable Gong as transient', async () => {
    gong = await startLocalGong();
    const url = gong.url;
    await gong.close();
    gong = null;
    const client = new GongClient(settings(url, { maxRetries: 1 }), { backoffBaseMs: 10 });
    const error = (await client.transcripts(['1']).catch((e: unknown) => e)) as GongApiError;
    expect(error.transient).toBe(true);
    expect(error.message).toContain('could not be reached');
  });

  it('will not start without credentials, and says which to set', () => {
    expect(() => new GongClient(settings('http://127.0.0.1:1', { auth: null }))).toThrow(/GONG_ACCESS_KEY/);
  });
});

describe('conversationForCall', () => {
  it("joins the webhook's call data with the transcript into what the Gong parser reads", async () => {
    const sample = await sampleCall();
    gong = await startLocalGong({ calls: [sample], requestsPerSecond: 50 });
    const announced = { metaData: sample.metaData, parties: sample.parties, context: sample.context };
    const result = await conversationForCall(new GongClient(settings(gong.url)), announced);
    expect(result.sourceId).toBe('gong:7782342274025937895');
    const conversation = parseConversation(result.content);
    expect(conversation.format).toBe('gong');
    expect(conversation.participants.map((p) => p.name)).toContain('Dmitri Volkov');
    expect(conversation.crmContext?.opportunityId).toBe('006Dn00000A1b2cIAB');
    expect(conversation.text).toContain('Dmitri Volkov: Honestly it is painful');
    expect(gong.requests.map((r) => r.path)).toEqual(['/v2/calls/transcript']);
  });

  it('asks /v2/calls/extensive for the parties when the webhook had none', async () => {
    const sample = await sampleCall();
    gong = await startLocalGong({ calls: [sample], requestsPerSecond: 50 });
    const result = await conversationForCall(new GongClient(settings(gong.url)), {
      metaData: { id: sample.metaData.id },
    });
    const conversation = parseConversation(result.content);
    expect(conversation.participants.find((p) => p.name === 'Hannah Cole')?.affiliation).toBe('customer');
    expect(conversation.subject).toBe('Fabrikam <> Contoso: discovery');
    expect(conversation.crmContext?.stageName).toBe('Qualification');
    expect(gong.requests.map((r) => r.path)).toEqual(['/v2/calls/transcript', '/v2/calls/extensive']);
  });

  it('says so when Gong has no such call', async () => {
    gong = await startLocalGong({ calls: [call('1')], requestsPerSecond: 50 });
    await expect(
      conversationForCall(new GongClient(settings(gong.url)), { metaData: { id: '999' } }),
    ).rejects.toBeInstanceOf(GongCallNotFound);
  });
});
