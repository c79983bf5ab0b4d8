// Serves the built preview on loopback: the gallery page, its bundle, and the SLDS assets straight from
// the installed @salesforce-ux/design-system package; with a local org, its bridge too (org-bridge.mjs).
import { createReadStream, existsSync, statSync } from 'node:fs';
import { createServer } from 'node:http';
import { createRequire } from 'node:module';
import path from 'node:path';
import { BUILD_DIR } from './build.mjs';
import { orgBridge } from './org-bridge.mjs';

const require = createRequire(import.meta.url);
const SLDS_ASSETS = path.join(
  path.dirname(require.resolve('@salesforce-ux/design-system/package.json')),
  'assets',
);

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
};

/** The file a URL path names inside root, or undefined when it names none (or climbs out of root). */
function fileIn(root, urlPath) {
  const file = path.resolve(root, `.${urlPath}`);
  if (!file.startsWith(root + path.sep)) return undefined;
  return existsSync(file) && statSync(file).isFile() ? file : undefined;
}

/**
 * Starts the server (port 0 picks a free one) and resolves to its URL and a close function. With `org`
 * (a running local org), the gallery's Apex calls can go to that org: open it with ?org=live&user=<username>.
 */
export function startPreviewServer({ port = 0, host = '127.0.0.1', root = BUILD_DIR, org } = {}) {
  const bridge = org ? orgBridge(org) : null;
  const server = createServer(async (request, response) => {
    const urlPath = decodeURIComponent(new URL(request.url, 'http://localhost').pathname);
    if (bridge && (await bridge(request, response, urlPath))) return;
    const file = urlPath.startsWith('/assets/')
      ? fileIn(SLDS_ASSETS, urlPath.slice('/assets'.length))
      : fileIn(root, urlPath === '/' ? '/index.html' : urlPath);
    if (!file) {
      response.writeHead(404, { 'content-type': 'text/plain' }).end(`Not in the preview: ${urlPath}`);
      return;
    }
    // Revalidated on every load, so a rebuilt preview shows at once; unchanged files answer 304, which
    // lets Chromium reuse the compiled bundle between page loads.
    const { size, mtimeMs } = statSync(file);
    const etag = `"${size.toString(36)}-${Math.round(mtimeMs).toString(36)}"`;
    if (request.headers['if-none-match'] === etag) {
      response.writeHead(304, { etag, 'cache-control': 'no-cache' }).end();
      return;
    }
    response.writeHead(200, {
      'content-type': TYPES[path.extname(file)] ?? 'application/octet-stream',
      'cache-control': 'no-cache',
      etag,
    });
    createReadStream(file).pipe(response);
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      const { port: actualPort } = server.address();
      resolve({
        url: `http://${host}:${actualPort}/`,
        close: () => new Promise((done) => server.close(done)),
      });
    });
  });
}
