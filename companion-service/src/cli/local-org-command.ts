import type { Writable } from 'node:stream';
import { loadServiceConfig } from '../config/service-config.js';
import { localDataFile, localOrgFaults } from '../app/embedded-org.js';
import { ADMIN_USERNAME, startLocalOrg, type LocalOrg } from '@pipeline-scribe/local-salesforce/org';
import { parseOptions } from './options.js';

/**
 * The local org alone, for looking inside it with any Salesforce client: prints its URL and a session
 * per user (the admin, the integration user, the reps and their manager, each seeing what their
 * permissions let them), and the Salesforce CLI commands that use them. Runs until Ctrl+C.
 *
 * With --json the first line of stdout is one JSON object, for scripts and other tools:
 * `{"instanceUrl", "orgId", "namespace", "users": [{"username", "persona", "accessToken"}]}`.
 */
/** The Salesforce CLI commands that log in to the local org with a session and query what was written. */
export function sfCliLines(url: string, token: string): string {
  return (
    `With the Salesforce CLI:\n` +
    `  SF_ACCESS_TOKEN='${token}' npx sf org login access-token --instance-url ${url} --alias local --no-prompt\n` +
    `  npx sf data query --target-org local --query "SELECT Name, StageName, NextStep, LastActivityDate FROM Opportunity"\n` +
    `  npx sf data query --target-org local --query "SELECT pscribe__Target_Field__c, pscribe__Proposed_Value__c, pscribe__Status__c FROM pscribe__Suggestion__c"\n`
  );
}

export async function startLocalOrgSession(args: string[], out: Writable): Promise<LocalOrg> {
  const opts = parseOptions(args, { empty: { type: 'boolean' }, json: { type: 'boolean' } });
  const service = loadServiceConfig(process.env);
  // An empty org is for loading data with the CLI, so it is never the one npm start keeps.
  const dataFile =
    service.localOrgStorage === 'file' && !opts.empty ? localDataFile(service.dataDir) : undefined;
  const org = await startLocalOrg({
    dataFile,
    port: service.localOrgPort,
    faults: localOrgFaults(service.localOrgFaults),
    dataPlan: opts.empty ? null : undefined,
  });
  const users = org.users.map((u) => ({
    username: u.username,
    persona: u.persona,
    accessToken: org.issueAccessToken(u.username),
  }));
  if (opts.json) {
    out.write(
      `${JSON.stringify({ instanceUrl: org.url, orgId: org.orgId, namespace: org.schema.namespace, users })}\n`,
    );
    return org;
  }
  const token = users.find((u) => u.username === ADMIN_USERNAME)!.accessToken;
  out.write(
    `The local org is running at ${org.url}${dataFile ? ` (data in ${dataFile})` : ' (in memory)'}\n` +
      `Org id ${org.orgId}; a session for ${ADMIN_USERNAME} (valid 2 hours):\n  ${token}\n\n` +
      sfCliLines(org.url, token) +
      (opts.empty
        ? `  npx sf data import tree --target-org local --plan scripts/data/sample-data-plan.json\n`
        : '') +
      `\nSessions for the other users (each sees only what their profile, permission sets and sharing allow):\n` +
      users
        .filter((u) => u.username !== ADMIN_USERNAME)
        .map((u) => `  ${u.persona.padEnd(11)} ${u.username}\n    ${u.accessToken}\n`)
        .join('') +
      'Ctrl+C stops it.\n',
  );
  return org;
}

export async function runLocalOrg(args: string[], out: Writable): Promise<number> {
  const org = await startLocalOrgSession(args, out);
  const stop = () => void org.close().then(() => process.exit(0));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  return 0;
}
