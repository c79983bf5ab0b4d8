import type { Writable } from 'node:stream';
import { loadServiceConfig } from '../config/service-config.js';
import { localDataFile, localOrgFaults } from '../app/embedded-org.js';
import { startLocalOrg } from '@pipeline-scribe/local-salesforce/org';
import { parseOptions } from './main.js';

/**
 * The local org alone, for looking inside it with any Salesforce client: prints its URL and a session,
 * and the Salesforce CLI commands that use them. Runs until Ctrl+C.
 */
export async function runLocalOrg(args: string[], out: Writable): Promise<number> {
  const opts = parseOptions(args, { empty: { type: 'boolean' } });
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
  const token = org.issueAccessToken('admin@pipeline-scribe.local');
  out.write(
    `The local org is running at ${org.url}${dataFile ? ` (data in ${dataFile})` : ' (in memory)'}\n` +
      `Org id ${org.orgId}; a session for admin@pipeline-scribe.local (valid 2 hours):\n  ${token}\n\n` +
      `With the Salesforce CLI:\n` +
      `  SF_ACCESS_TOKEN='${token}' npx sf org login access-token --instance-url ${org.url} --alias local --no-prompt\n` +
      `  npx sf data query --target-org local --query "SELECT Name, StageName, NextStep FROM Opportunity"\n` +
      (opts.empty
        ? `  npx sf data import tree --target-org local --plan scripts/data/sample-data-plan.json\n`
        : '') +
      'Ctrl+C stops it.\n',
  );
  const stop = () => void org.close().then(() => process.exit(0));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  return 0;
}
