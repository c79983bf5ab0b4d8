// `npm run preview [-- --port 4173]`: builds the gallery from force-app and serves it on localhost.
import { parseArgs } from 'node:util';
import { buildPreview } from './build.mjs';
import { startPreviewServer } from './server.mjs';

const { values } = parseArgs({ options: { port: { type: 'string', default: '4173' } } });
const port = Number(values.port);
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  console.error(`--port must be a port number (0-65535), not "${values.port}".`);
  process.exit(2);
}

console.log('Building the preview from force-app ...');
const seconds = await buildPreview();
const { url } = await startPreviewServer({ port });
console.log(`Built in ${seconds.toFixed(1)} s. The gallery is at ${url}`);
console.log(`  scenarios: ${url}?scenario=review&page=opportunity (pick others in the page); Ctrl+C stops.`);
