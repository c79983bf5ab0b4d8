import { chmod, mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Connection } from 'jsforce';
import { namesOf, speakingLocalNames } from '../test/support/local-org.js';
import { startServer } from '../src/app/server.js';
import { benchServerOptions, startBenchOrg } from './support/bench-org.js';
import { EmbeddedExtractor } from '../src/domain/extraction/embedded/embedded-extractor.js';
import { SAMPLES } from '../src/cli/start-command.js';
import { loadQueueConfig } from '../src/config/queue-config.js';
import type { ConversationStatusBody } from '../src/app/schemas/conversation-status.js';

/**
 * Salesforce API calls per conversation on the durable path: each conversation is POSTed to the
 * service over HTTP, queued in Postgres (embedded, in a temporary folder), taken by the worker and
 * written back to the local org. Every conversation is counted twice: by the service (the calls its
 * processing made, paging included) and by the org (the daily count the org reports in the
 * Sforce-Limit-Info header of each answer: as the service last saw it, from GET /metrics, against the
 * count before it). Cases: the five sample conversations (`npm start`'s), the same five again (a
 * replay), and conversations whose data runs past one page: a deal with 450 pending suggestions and
 * one with 251 contact roles (child relationship rows), and 500 decided suggestions behind a field's
 * earned trust (a query past a page). The org answers queries in batches of 200, the smallest batch
 * Salesforce uses, so a few hundred rows need a second page if read whole; the read takes windows
 * that fit one page, and follows nextRecordsUrl (a call per page) whenever a result still comes
 * partial. Target: at most 2 calls per conversation.
 */

const TARGET = 2;
const BATCH = 200;

const bench = await startBenchOrg({ queryBatchSize: BATCH });
const { org } = bench;
const pgDir = await mkdtemp(path.join(tmpdir(), 'scribe-bench-api-calls-'));
await chmod(pgDir, 0o755);
const { server, url } = await startServer({
  ...benchServerOptions(bench),
  queue: loadQueueConfig({
    SCRIBE_POSTGRES_DIR: path.join(pgDir, 'cluster'),
    SCRIBE_WORKER_CONCURRENCY: '1',
  }),
  extractor: new EmbeddedExtractor(),
});
// The admin arranges data in the package's local names, translated as the service translates them.
const admin = speakingLocalNames(
  new Connection({
    instanceUrl: org.url,
    accessToken: org.issueAccessToken('admin@pipeline-scribe.local'),
    version: '62.0',
  }),
  await namesOf(org),
);

/** The org's daily count as the service last read it from Sforce-Limit-Info. */
async function orgUsed(): Promise<number> {
  const text = await (await fetch(`${url}/metrics`)).text();
  const line = /scribe_salesforce_api_usage\{measure="org_used"\} (\d+)/.exec(text);
  return line ? Number(line[1]) : NaN;
}

interface Row {
  case: string;
  conversation: string;
  status: string;
  service: number;
  org: number;
  note: string;
}
const rows: Row[] = [];

async function run(
  caseName: string,
  label: string,
  body: Record<string, unknown>,
  note = '',
  idempotencyKey?: string,
): Promise<void> {
  // The org's count before: as the service last saw it, or as the bench's own arranging calls
  // last saw it, whichever is later (both from Sforce-Limit-Info).
  const before = Math.max(await orgUsed(), admin.limitInfo?.apiUsage?.used ?? 0);
  const accepted = await fetch(`${url}/v1/conversations`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(idempotencyKey ? { 'idempotency-key': idempotencyKey } : {}),
    },
    body: JSON.stringify(body),
  });
  let status = (await accepted.json()) as ConversationStatusBody;
  if (accepted.status !== 202) throw new Error(`${label}: HTTP ${accepted.status} ${JSON.stringify(status)}`);
  const deadline = Date.now() + 60_000;
  while (status.status !== 'processed' && status.status !== 'dead') {
    if (Date.now() > deadline) throw new Error(`${label} is still ${status.status} after a minute`);
    await new Promise((resolve) => setTimeout(resolve, 10));
    status = (await (await fetch(`${url}/v1/conversations/${status.id}`)).json()) as ConversationStatusBody;
  }
  rows.push({
    case: caseName,
    conversation: label,
    status: status.status,
    service: status.result?.apiCalls ?? NaN,
    org: (await orgUsed()) - before,
    note: status.status === 'dead' ? (status.deadLetter?.reason ?? '') : note,
  });
}

// ---- the samples, as npm start feeds them ----
const known = JSON.parse(await readFile(path.join(SAMPLES, 'stages.json'), 'utf8')) as Record<
  string,
  { meetingDate?: string }
>;
const files = (await readdir(SAMPLES)).filter((f) => !f.startsWith('.') && f !== 'stages.json').sort();
const bodies = new Map<string, Record<string, unknown>>();
for (const file of files) {
  const text = await readFile(path.join(SAMPLES, file), 'utf8');
  const meetingDate = known[file]?.meetingDate;
  bodies.set(
    file,
    file.endsWith('.json')
      ? { gong: JSON.parse(text) as unknown, meetingDate }
      : { content: text, meetingDate },
  );
}
const started = performance.now();
for (const [file, body] of bodies) await run('sample', file, body);
// The same source again under a new idempotency key: worked again, and finds everything written.
for (const [file, body] of bodies)
  await run('replay', file, body, 'the org holds it all already', `replay:${file}`);

// ---- reads that need a second page ----
type Fields = Record<string, unknown>;
async function insertAll(type: string, records: Fields[]): Promise<void> {
  for (let i = 0; i < records.length; i += 200) {
    const results = (await admin.request({
      method: 'POST',
      url: '/services/data/v62.0/composite/sobjects',
      body: JSON.stringify({
        allOrNone: true,
        records: records.slice(i, i + 200).map((r) => ({ attributes: { type }, ...r })),
      }),
      headers: { 'content-type': 'application/json' },
    })) as { success: boolean; errors: unknown[] }[];
    const failed = results.find((r) => !r.success);
    if (failed) throw new Error(`could not arrange ${type}: ${JSON.stringify(failed.errors)}`);
  }
}
async function deal(name: string): Promise<{ Id: string; AccountId: string }> {
  const [row] = (
    await admin.query<{ Id: string; AccountId: string }>(
      `SELECT Id, AccountId FROM Opportunity WHERE Name LIKE '${name}%'`,
    )
  ).records;
  if (!row) throw new Error(`no deal ${name}`);
  return row;
}
const withSource = (file: string, sourceId: string) => ({ ...bodies.get(file)!, sourceId });

const PENDING = 450;
const wingtip = await deal('Wingtip Toys');
await insertAll(
  'Suggestion__c',
  Array.from({ length: PENDING }, (_, i) => ({
    Opportunity__c: wingtip.Id,
    Account__c: wingtip.AccountId,
    Status__c: 'Pending',
    // Field suggestions: the ones the conversation read takes, so the deal's list is past a page.
    Type__c: 'Field',
    Target_Object__c: 'Opportunity',
    Target_Field__c: 'NextStep',
    Proposed_Value__c: `Follow-up ${i + 1} from an earlier call`,
    Confidence__c: 0.7,
    External_Id__c: `bench:pending:${i}`,
  })),
);
// Whether this org pages child relationship rows (a real org does; the local org may not yet).
const children = (
  await admin.query<{ Scribe_Suggestions__r: { done: boolean } | null }>(
    `SELECT Id, (SELECT Id FROM Scribe_Suggestions__r WHERE Status__c = 'Pending') FROM Opportunity WHERE Id = '${wingtip.Id}'`,
  )
).records[0]?.Scribe_Suggestions__r;
await run(
  'past a page',
  `03-wingtip-email.eml, deal with ${PENDING} pending suggestions`,
  withSource('03-wingtip-email.eml', 'bench:wingtip-many-pending'),
  `${PENDING} pending child rows (this org ${children?.done === false ? 'pages them' : 'sends them in one piece'}); the read takes the newest ${BATCH}`,
);

const ROLES = 250;
const litware = await deal('Litware');
await insertAll(
  'Contact',
  Array.from({ length: ROLES }, (_, i) => ({
    AccountId: litware.AccountId,
    FirstName: 'Stakeholder',
    LastName: `Number ${i + 1}`,
    Email: `stakeholder${i + 1}@litware.example`,
  })),
);
const contacts = (
  await admin.query<{ Id: string }>(
    `SELECT Id FROM Contact WHERE Email LIKE 'stakeholder%@litware.example' ORDER BY Id`,
  )
).records;
await insertAll(
  'OpportunityContactRole',
  contacts.map((c) => ({ OpportunityId: litware.Id, ContactId: c.Id, Role: 'Influencer' })),
);
await run(
  'past a page',
  `05-voice-memo-litware.txt, deal with ${ROLES + 1} contact roles`,
  withSource('05-voice-memo-litware.txt', 'bench:litware-many-roles'),
  `${ROLES + 1} contact-role child rows; the read takes ${BATCH}, the primary first`,
);

const DECIDED = 500;
const northwind = await deal('Northwind Traders');
await insertAll(
  'Suggestion__c',
  Array.from({ length: DECIDED }, (_, i) => ({
    Opportunity__c: northwind.Id,
    Account__c: northwind.AccountId,
    Status__c: i % 5 === 0 ? 'Rejected' : 'Accepted',
    Decided_At__c: new Date(Date.now() - (i + 1) * 3_600_000).toISOString(),
    Type__c: 'Field',
    Target_Object__c: 'Opportunity',
    Target_Field__c: 'NextStep',
    Value_At_Suggestion__c: `Step ${i}`,
    Proposed_Value__c: `Step ${i + 1}`,
    Confidence__c: 0.8,
    External_Id__c: `bench:decided:${i}`,
  })),
);
await run(
  'past a page',
  `04-northwind-notes.md, ${DECIDED} decided Next Step suggestions`,
  withSource('04-northwind-notes.md', 'bench:northwind-trust-history'),
  `${DECIDED} decided rows, ${Math.ceil(DECIDED / BATCH)} pages of ${BATCH}; the read takes the newest ${BATCH}`,
);
const seconds = (performance.now() - started) / 1000;

// ---- the table ----
const headers = [
  'case',
  'conversation',
  'status',
  'calls (service)',
  'calls (org, Sforce-Limit-Info)',
  'note',
];
const cells = rows.map((r) => [r.case, r.conversation, r.status, String(r.service), String(r.org), r.note]);
const widths = headers.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i]!.length)));
const line = (c: string[]) =>
  c.map((v, i) => (i === 3 || i === 4 ? v.padStart(widths[i]!) : v.padEnd(widths[i]!))).join(' | ');
console.log(
  `Salesforce API calls per conversation, durable path (HTTP → Postgres queue → worker → local org), embedded extractor; queries answered in batches of ${BATCH}`,
);
console.log(line(headers));
console.log(widths.map((w) => '-'.repeat(w)).join('-|-'));
for (const c of cells) console.log(line(c));
console.log('');
const summary = (label: string, subset: Row[]) => {
  if (subset.length === 0) return;
  const stat = (pick: (r: Row) => number) => {
    const values = subset.map(pick);
    return {
      max: Math.max(...values),
      mean: values.reduce((a, b) => a + b, 0) / values.length,
    };
  };
  const s = stat((r) => r.service);
  const o = stat((r) => r.org);
  const verdict = Math.max(s.max, o.max) <= TARGET ? 'within' : 'OVER';
  console.log(
    `${label.padEnd(34)} n=${String(subset.length).padStart(2)}   service: max ${s.max}, mean ${s.mean.toFixed(2)}   org: max ${o.max}, mean ${o.mean.toFixed(2)}   target ≤ ${TARGET}: ${verdict}`,
  );
};
summary(
  'new sample conversations',
  rows.filter((r) => r.case === 'sample'),
);
summary(
  'replays',
  rows.filter((r) => r.case === 'replay'),
);
summary(
  'data past one page of 200',
  rows.filter((r) => r.case === 'past a page'),
);
summary('all', rows);
console.log(
  `each further page of a result would be one more call (the read follows nextRecordsUrl); the read's windows (newest ${BATCH} decisions for earned trust, ${BATCH} pending suggestions and ${BATCH} contact roles a deal) keep every result in its first page`,
);
const mismatched = rows.filter((r) => r.service !== r.org);
console.log(
  mismatched.length === 0
    ? `the service's count and the org's agree on every conversation; ${rows.length} conversations in ${seconds.toFixed(1)} s`
    : `the service's count and the org's differ on ${mismatched.map((r) => r.conversation).join(', ')}`,
);

await server.close();
await org.close();
await rm(pgDir, { recursive: true, force: true });
