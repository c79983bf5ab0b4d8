// `npm run preview [-- --port 4173] [-- --org]`: builds the gallery from force-app and serves it on
// localhost. With --org it also starts a local org with the sample data (as `npm start`'s org, kept in
// memory) and prints a link per user: each opens the pages with their Apex answered by that org as
// that user, so a click changes the org's records.
import { parseArgs } from 'node:util';
import { buildPreview } from './build.mjs';
import { startPreviewServer } from './server.mjs';

const { values } = parseArgs({
  options: { port: { type: 'string', default: '4173' }, org: { type: 'boolean', default: false } },
});
const port = Number(values.port);
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  console.error(`--port must be a port number (0-65535), not "${values.port}".`);
  process.exit(2);
}

console.log('Building the preview from force-app ...');
const seconds = await buildPreview();
let org;
if (values.org) {
  const { startLocalOrg } = await import('@pipeline-scribe/local-salesforce/org');
  org = await startLocalOrg();
}
const { url } = await startPreviewServer({ port, org });
console.log(`Built in ${seconds.toFixed(1)} s. The gallery is at ${url}`);
console.log(`  scenarios: ${url}?scenario=review&page=opportunity (pick others in the page); Ctrl+C stops.`);
if (org) {
  console.log(`\nThe local org with the sample data is at ${org.url}. The pages as each user, against it:`);
  const deals = org.store.all('Opportunity');
  for (const user of org.users.filter((u) => u.persona === 'rep' || u.persona === 'manager')) {
    const live = `${url}?org=live&user=${encodeURIComponent(user.username)}`;
    console.log(`  ${user.persona.padEnd(8)} ${user.username}`);
    console.log(`    Home: ${live}&page=home`);
    const own = deals.find((deal) => deal.OwnerId === user.id && !deal.IsClosed);
    if (own) console.log(`    ${own.Name}: ${live}&page=opportunity&recordId=${own.Id}`);
  }
}
