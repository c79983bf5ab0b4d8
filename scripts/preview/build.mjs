// Builds the preview gallery: the package's own Lightning web components, compiled from force-app as
// they are, with LWC OSS, the npm lightning-base-components and synthetic shadow. Only what exists on
// the platform alone is mapped to preview modules: Apex methods (answered by scenario fixtures),
// @salesforce/schema and custom labels, navigation, toasts, refresh, record notifications and file upload.
import { createHash } from 'node:crypto';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  readFileSync,
  readdirSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { rollup } from 'rollup';
import lwc from '@lwc/rollup-plugin';
import { FORCE_APP, ROOT, listFiles, relative } from '../lib/force-app-files.mjs';
import { platformImports } from './virtual-modules.mjs';

const PREVIEW = path.dirname(fileURLToPath(import.meta.url));
const PREVIEW_MODULES = path.join(PREVIEW, 'lwc');
export const BUILD_DIR = path.join(ROOT, 'build', 'preview');
const DIGEST_FILE = 'inputs.sha256';

/** `c/<name>` for every component bundle in force-app, wherever its feature folder is. */
function forceAppComponents() {
  return listFiles(FORCE_APP, (name, full) => {
    const bundle = path.basename(path.dirname(full));
    return name === `${bundle}.js` && path.basename(path.dirname(path.dirname(full))) === 'lwc';
  }).map((file) => ({ name: `c/${path.basename(path.dirname(file))}`, path: file }));
}

const APEX_RUNTIME = path.join(PREVIEW_MODULES, 'preview', 'apex', 'apex.js');

/** The settings the offline toolchain notes name: no SSR branch, production engine. */
function browserBuildFlags() {
  return {
    name: 'pipeline-scribe-preview-flags',
    transform(code) {
      if (!code.includes('import.meta.env.SSR') && !code.includes('process.env.NODE_ENV')) return null;
      return {
        code: code
          .replaceAll('import.meta.env.SSR', 'false')
          .replaceAll('process.env.NODE_ENV', JSON.stringify('production')),
        map: null,
      };
    },
  };
}

/** Compiles the gallery into BUILD_DIR (app.js and index.html) and returns how long it took. */
export async function buildPreview({ outDir = BUILD_DIR } = {}) {
  const started = performance.now();
  const digest = inputsDigest();
  const ownWarnings = [];
  const bundle = await rollup({
    input: path.join(PREVIEW, 'main.js'),
    plugins: [
      platformImports({ apexRuntime: APEX_RUNTIME }),
      browserBuildFlags(),
      lwc({
        rootDir: PREVIEW_MODULES,
        enableDynamicComponents: true,
        // lightning-combobox attaches element internals; under synthetic shadow LWC allows that only
        // for components compiled with this flag (without it the combobox throws and renders nothing).
        enableSyntheticElementInternals: true,
        modules: [{ dir: PREVIEW_MODULES }, ...forceAppComponents(), { npm: 'lightning-base-components' }],
      }),
    ],
    onwarn(warning) {
      const file = warning.loc?.file ?? warning.id ?? '';
      // The base components' own templates carry compiler warnings, and their modules import in circles.
      if (file.includes(`${path.sep}node_modules${path.sep}`) || warning.code === 'CIRCULAR_DEPENDENCY')
        return;
      ownWarnings.push(warning.message);
    },
  });
  if (ownWarnings.length > 0) {
    await bundle.close();
    throw new Error(`The preview build warned about the project's own code:\n${ownWarnings.join('\n')}`);
  }
  mkdirSync(outDir, { recursive: true });
  rmSync(path.join(outDir, 'chunks'), { recursive: true, force: true });
  // The base components load each icon library with a dynamic import; kept as chunks, a page fetches
  // only the libraries it draws from (utility and standard here) instead of every library in one file.
  await bundle.write({
    dir: outDir,
    format: 'es',
    entryFileNames: 'app.js',
    chunkFileNames: 'chunks/[name]-[hash].js',
  });
  await bundle.close();
  copyFileSync(path.join(PREVIEW, 'index.html'), path.join(outDir, 'index.html'));
  writeFileSync(path.join(outDir, DIGEST_FILE), digest);
  return (performance.now() - started) / 1000;
}

/** Every file the build reads from the project: force-app's components and pages, the preview, the lockfile. */
function buildInputs() {
  const walk = (dir, skip) =>
    readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
      const full = path.join(dir, entry.name);
      if (skip(full)) return [];
      return entry.isDirectory() ? walk(full, skip) : [full];
    });
  const forceApp = walk(FORCE_APP, () => false).filter(
    (file) => file.includes(`${path.sep}lwc${path.sep}`) || /\.(flexipage|labels)-meta\.xml$/.test(file),
  );
  const preview = walk(PREVIEW, (full) => full === path.join(PREVIEW, 'test'));
  return [...forceApp, ...preview, path.join(ROOT, 'package-lock.json')].sort();
}

function inputsDigest() {
  const hash = createHash('sha256');
  for (const file of buildInputs()) hash.update(relative(file)).update('\0').update(readFileSync(file));
  return hash.digest('hex');
}

/** Builds the preview unless the last build was made from the same inputs; says which it did. */
export async function ensurePreviewBuilt({ outDir = BUILD_DIR } = {}) {
  const digestFile = path.join(outDir, DIGEST_FILE);
  const upToDate =
    existsSync(digestFile) &&
    existsSync(path.join(outDir, 'app.js')) &&
    readFileSync(digestFile, 'utf8') === inputsDigest();
  if (upToDate) return { rebuilt: false, seconds: 0 };
  return { rebuilt: true, seconds: await buildPreview({ outDir }) };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const seconds = await buildPreview();
  console.log(`preview built into ${relative(BUILD_DIR)} (${seconds.toFixed(1)} s)`);
}
