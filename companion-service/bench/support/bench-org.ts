import { generateKeyPairSync } from 'node:crypto';
import { INTEGRATION_USERNAME, startLocalOrg, type LocalOrg } from '@pipeline-scribe/local-salesforce/org';
import type { ServerOptions } from '../../src/app/server.js';
import { DEFAULT_LIMITS } from '../../src/config/limits-config.js';

/**
 * The local org a write-back bench signs in to as the integration user, through the JWT bearer flow
 * of a connected app, as the service signs in to a real org; with an API budget no bench exhausts.
 */
export async function startBenchOrg(options: { queryBatchSize?: number } = {}) {
  const keys = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const org = await startLocalOrg({
    connectedApps: [
      {
        consumerKey: 'BenchApp',
        certificate: keys.publicKey.export({ type: 'spki', format: 'pem' }).toString(),
      },
    ],
    dailyApiLimit: 1_000_000,
    ...options,
  });
  return { org, privateKey: keys.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString() };
}

/** A capacity measurement from one address: the rates per source and per org and the queue bound stay out of it. */
export const BENCH_LIMITS = {
  ...DEFAULT_LIMITS,
  ratePerMinute: 100_000_000,
  orgRatePerMinute: 100_000_000,
  queueMaxWaiting: 100_000_000,
};

/**
 * What a bench's service needs besides its queue: the org as a real one (a JWT sign-in), open to
 * loopback callers only (the bench measures work, not the API key policy), with no rate per source,
 * per org or queue bound in the way of a measurement from one address.
 */
export function benchServerOptions(bench: {
  org: LocalOrg;
  privateKey: string;
}): Pick<ServerOptions, 'limits' | 'host' | 'port' | 'logLevel' | 'apiOpen' | 'salesforce'> {
  return {
    limits: BENCH_LIMITS,
    host: '127.0.0.1',
    port: 0,
    logLevel: 'silent',
    apiOpen: true,
    salesforce: {
      kind: 'org',
      jwt: {
        loginUrl: bench.org.url,
        clientId: 'BenchApp',
        username: INTEGRATION_USERNAME,
        privateKey: bench.privateKey,
      },
      token: null,
      apiVersion: '62.0',
      slowdownAt: 0.8,
      maxDelayMs: 0,
      rulesTtlMs: 3_600_000,
    },
  };
}
