import { describe, expect, it } from 'vitest';
import { Writable } from 'node:stream';
import { startMainJob } from '../../src/cli/start-command.js';

/** The main job behind `npm start`, run in-process and stopped, never through npm start itself. */

function collect() {
  let text = '';
  const out = new Writable({
    write(chunk, _encoding, done) {
      text += String(chunk);
      done();
    },
  });
  return { out, text: () => text };
}

describe('the main job', () => {
  it('starts the local org and the service, feeds the samples through the API and reports each', async () => {
    const { out, text } = collect();
    const job = await startMainJob(
      { SCRIBE_LOCAL_ORG_STORAGE: 'memory', SCRIBE_PORT: '0', SCRIBE_LOG_LEVEL: 'silent' },
      out,
    );
    try {
      expect(job.running.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      expect(job.results.map((r) => [r.status, r.match.kind])).toEqual(
        Array(5).fill(['processed', 'opportunity']),
      );
      expect(job.results.every((r) => r.apiCalls <= 2)).toBe(true);
      const report = text();
      expect(report).toContain('Salesforce: the local org at http://127.0.0.1:');
      expect(report).toContain('Matched Fabrikam - Pipeline Scribe (Qualification)');
      expect(report).toContain('dmitri.volkov@fabrikam.com has the contact role Decision Maker (primary)');
      expect(report).toContain('Competitors__c: (empty) → Salesloft by Field_Policy.Opportunity_Competitors');
      expect(report).toMatch(
        /5 conversations, 10 Salesforce API calls \(the local org counted 10\): 2\.0 per conversation/,
      );
      const health = await fetch(`${job.running.url}/health/ready`);
      expect(await health.json()).toMatchObject({ status: 'ready', salesforce: { localOrg: true } });
    } finally {
      await job.running.server.close();
    }
  });

  it('stops before starting anything when a setting is wrong, naming it', async () => {
    await expect(startMainJob({ SF_CLIENT_ID: '3MVG9-consumer-key' }, collect().out)).rejects.toThrow(
      /SF_USERNAME is not set/,
    );
  });
});
