import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Writable } from 'node:stream';
import { chmod, mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Connection } from 'jsforce';
import { REP_USERNAMES } from '@pipeline-scribe/local-salesforce/org';
import { runningGuide, startMainJob } from '../../src/cli/start-command.js';
import type { EmbeddedOrgConnection } from '../../src/app/embedded-org.js';
import { namesOf, speakingLocalNames } from '../support/local-org.js';

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

let dataDir: string;
beforeAll(async () => {
  dataDir = await mkdtemp(path.join(tmpdir(), 'scribe-start-'));
  await chmod(dataDir, 0o755);
});
afterAll(async () => rm(dataDir, { recursive: true, force: true }));

describe('the main job', () => {
  it('starts the local org and the service, feeds the samples through the API and reports each', async () => {
    const { out, text } = collect();
    const job = await startMainJob(
      {
        SCRIBE_LOCAL_ORG_STORAGE: 'memory',
        SCRIBE_PORT: '0',
        SCRIBE_LOG_LEVEL: 'silent',
        SCRIBE_DATA_DIR: dataDir,
      },
      out,
    );
    try {
      expect(job.running.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      // The five conversations, then one Zoom and one Teams meeting from the local Zoom and Graph.
      expect(job.results.map((r) => [r.status, r.match.kind])).toEqual(
        Array(7).fill(['processed', 'opportunity']),
      );
      expect(job.results.every((r) => r.apiCalls <= 2)).toBe(true);
      // The samples read as last week's calls on whatever day the job runs, so their dates lie ahead.
      for (const { meetingDate } of job.results) {
        const age = (Date.now() - Date.parse(String(meetingDate))) / 86_400_000;
        expect(age).toBeGreaterThan(0);
        expect(age).toBeLessThan(14);
      }
      const report = text();
      expect(report).toContain('Salesforce: the local org at http://127.0.0.1:');
      expect(report).toContain(`Conversations: embedded Postgres in ${path.join(dataDir, 'postgres')}`);
      expect(report).toMatch(/→ HTTP 202 in \d+ ms, 2 API calls/);
      expect(report).toContain('Matched Fabrikam - Pipeline Scribe (Qualification)');
      expect(report).toContain('dmitri.volkov@fabrikam.com has the contact role Decision Maker (primary)');
      expect(report).toContain('Competitors__c: (empty) → Salesloft by Field_Policy.Opportunity_Competitors');
      expect(report).toMatch(
        /zoom-wingtip-pilot-review\.vtt \(Zoom webhook\)[^\n]*→ HTTP 200[\s\S]*Matched Wingtip Toys/,
      );
      expect(report).toMatch(
        /teams-northwind-dispatch-scoping\.vtt \(Teams via Graph\)[^\n]*→ HTTP 202[\s\S]*Matched Northwind/,
      );
      // The org counts 4 more than processing made: judging the Zoom and Teams meetings' consent read
      // the consent rules once (2 queries) and looked each meeting's speakers up among the Contacts.
      expect(report).toMatch(
        /7 conversations, 14 Salesforce API calls \(the local org counted 18\): 2\.0 per conversation/,
      );
      const health = await fetch(`${job.running.url}/health/ready`);
      expect(await health.json()).toMatchObject({ status: 'ready', salesforce: { localOrg: true } });
      const ready = await fetch(`${job.running.url}/readyz`);
      expect(await ready.json()).toMatchObject({
        status: 'ready',
        checks: { database: { ok: true }, salesforce: { ok: true } },
      });
      const metrics = await (await fetch(`${job.running.url}/metrics`)).text();
      // The five samples, the Zoom and Teams meetings and the sample email (POST /v1/emails); the
      // invitation is an Event, not a conversation.
      expect(report).toMatch(/01-fabrikam-followup\.eml .*→ HTTP 202/);
      expect(report).toContain('attachments listed, not read: Fabrikam proposal v2.pdf');
      expect(report).toMatch(
        /invitation "Fabrikam technical deep dive" \(create\) → Event 00U\w+ on opportunity 006/,
      );
      expect(metrics).toContain('scribe_conversations{status="processed"} 8');
      expect(metrics).toMatch(/scribe_conversation_processing_seconds_count\{outcome="processed"\} 8/);

      // Each rep, signed in as that rep, sees the suggestions on the deals they own and a Home queue
      // of their own (the queue's selector lists the Open actions the rep owns).
      await job.running.server.pipelineScan.runFullScan();
      const { localOrg } = job.running.server.salesforce as EmbeddedOrgConnection;
      const names = await namesOf(localOrg);
      for (const username of REP_USERNAMES) {
        const rep = speakingLocalNames(
          new Connection({
            instanceUrl: localOrg.url,
            accessToken: localOrg.issueAccessToken(username),
            version: '62.0',
          }),
          names,
        );
        const me = (await rep.query<{ Id: string }>(`SELECT Id FROM User WHERE Username = '${username}'`))
          .records[0]!.Id;
        const queue = await rep.query(
          `SELECT Id, Action__c FROM Next_Best_Action__c WHERE OwnerId = '${me}' AND Status__c = 'Open'`,
        );
        expect(queue.totalSize, `${username}'s Home queue`).toBeGreaterThan(0);
        const pending = await rep.query(
          `SELECT Id FROM Suggestion__c WHERE Status__c = 'Pending' AND Opportunity__r.OwnerId = '${me}'`,
        );
        expect(pending.totalSize, `suggestions on ${username}'s deals`).toBeGreaterThan(0);
        // …and nobody else's deals.
        const others = await rep.query(`SELECT Id FROM Opportunity WHERE OwnerId != '${me}'`);
        expect(others.totalSize, `${username} sees another rep's deals`).toBe(0);
      }
    } finally {
      await job.close();
    }
  }, 60_000);

  it('keeps what was changed in the local org from one start to the next, --reset reloads the samples, and says how to look inside', async () => {
    const keptDir = await mkdtemp(path.join(tmpdir(), 'scribe-start-kept-'));
    const noSamples = path.join(keptDir, 'no-samples');
    await mkdir(noSamples);
    const env = {
      SCRIBE_LOCAL_ORG_STORAGE: 'file',
      SCRIBE_PORT: '0',
      SCRIBE_LOG_LEVEL: 'silent',
      SCRIBE_DATA_DIR: keptDir,
    };
    const nextStepOfFabrikam = async (reset: boolean, change?: string) => {
      const { out, text } = collect();
      const job = await startMainJob(env, out, { reset, samples: noSamples });
      try {
        const org = job.running.server.salesforce.embedded!;
        const admin = new Connection({
          instanceUrl: org.url,
          accessToken: org.adminSession(),
          version: '62.0',
        });
        const [deal] = (
          await admin.query<{ Id: string; NextStep: string | null }>(
            "SELECT Id, NextStep FROM Opportunity WHERE Name LIKE 'Fabrikam%' ORDER BY Name LIMIT 1",
          )
        ).records;
        if (change) await admin.sobject('Opportunity').update({ Id: deal!.Id, NextStep: change });
        const guide = runningGuide(job.running);
        return { nextStep: deal!.NextStep, guide, report: text() };
      } finally {
        await job.close();
      }
    };
    try {
      const first = await nextStepOfFabrikam(false, 'Changed by hand between two starts');
      expect(first.nextStep).not.toBe('Changed by hand between two starts');
      // A person reading the output is told how to see the org and the package's pages.
      expect(first.guide).toMatch(/To see what was written into the local org \(http:\/\/127\.0\.0\.1:\d+\)/);
      expect(first.guide).toContain('npx sf org login access-token --instance-url http://127.0.0.1:');
      expect(first.guide).toContain('npx sf data query --target-org local');
      expect(first.guide).toContain('npm run preview');
      const kept = await nextStepOfFabrikam(false);
      expect(kept.nextStep).toBe('Changed by hand between two starts');
      const reset = await nextStepOfFabrikam(true);
      expect(reset.nextStep).toBe(first.nextStep);
    } finally {
      await rm(keptDir, { recursive: true, force: true });
    }
  }, 180_000);

  it('stops before starting anything when a setting is wrong, naming it', async () => {
    await expect(startMainJob({ SF_CLIENT_ID: '3MVG9-consumer-key' }, collect().out)).rejects.toThrow(
      /SF_USERNAME is not set/,
    );
  });
});
