// `sf project convert source` over force-app, offline: it rejects unparseable XML and unknown file
// suffixes. It silently drops some files instead (a field file without -meta, a class without its
// meta file), so the converted package.xml is compared with what the sources declare.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { XMLParser } from 'fast-xml-parser';
import { FORCE_APP, ROOT, listFiles, timed } from './lib/force-app-files.mjs';

function declared() {
  const count = (test) => listFiles(FORCE_APP, test).length;
  const lwcBundles = new Set(
    listFiles(FORCE_APP, (name) => name.endsWith('.js-meta.xml')).map((file) =>
      path.basename(path.dirname(file)),
    ),
  );
  return {
    ApexClass: count((name) => name.endsWith('.cls')),
    ApexTrigger: count((name) => name.endsWith('.trigger')),
    CustomField: count((name, full) => full.includes(`${path.sep}fields${path.sep}`)),
    CustomMetadata: count((name) => name.endsWith('.md-meta.xml')),
    LightningComponentBundle: lwcBundles.size,
    PermissionSet: count((name) => name.endsWith('.permissionset-meta.xml')),
    FlexiPage: count((name) => name.endsWith('.flexipage-meta.xml')),
    CustomTab: count((name) => name.endsWith('.tab-meta.xml')),
    CustomApplication: count((name) => name.endsWith('.app-meta.xml')),
    Layout: count((name) => name.endsWith('.layout-meta.xml')),
    ExternalClientApplication: count((name) => name.endsWith('.eca-meta.xml')),
    ExtlClntAppOauthSettings: count((name) => name.endsWith('.ecaOauth-meta.xml')),
    NamedCredential: count((name) => name.endsWith('.namedCredential-meta.xml')),
    ExternalCredential: count((name) => name.endsWith('.externalCredential-meta.xml')),
  };
}

const problems = await timed('sf project convert source', () => {
  const outputDir = mkdtempSync(path.join(tmpdir(), 'converted-'));
  try {
    const run = spawnSync(
      path.join(ROOT, 'node_modules', '.bin', 'sf'),
      ['project', 'convert', 'source', '--source-dir', 'force-app', '--output-dir', outputDir, '--json'],
      {
        cwd: ROOT,
        encoding: 'utf8',
        env: {
          ...process.env,
          SF_DISABLE_TELEMETRY: 'true',
          SF_SKIP_NEW_VERSION_CHECK: 'true',
          SF_AUTOUPDATE_DISABLE: 'true',
        },
      },
    );
    if (run.status !== 0) {
      let message = run.stderr || run.stdout;
      try {
        message = JSON.parse(run.stdout).message ?? message;
      } catch {
        // the CLI printed something other than JSON; show it as it is
      }
      return [`the CLI refused force-app: ${message.trim()}`];
    }
    const manifest = new XMLParser({ isArray: (name) => name === 'types' || name === 'members' }).parse(
      readFileSync(path.join(outputDir, 'package.xml'), 'utf8'),
    );
    const converted = Object.fromEntries(
      (manifest.Package.types ?? []).map((type) => [type.name, (type.members ?? []).length]),
    );
    return Object.entries(declared())
      .filter(([type, expected]) => (converted[type] ?? 0) !== expected)
      .map(
        ([type, expected]) =>
          `${type}: ${expected} in force-app, ${converted[type] ?? 0} converted; files were dropped`,
      );
  } finally {
    rmSync(outputDir, { recursive: true, force: true });
  }
});
process.exit(problems.length === 0 ? 0 : 1);
