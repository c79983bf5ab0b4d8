import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { readApex, type ApexSource } from './apex.js';
import { readCustomMetadataRecords, type CustomMetadataRecord } from './custom-metadata.js';
import { DEFAULT_PACKAGE_DIR, listPackageFiles, parseXml, type Xml } from './files.js';
import { readObjects, type PackageObject } from './objects.js';
import { readPermissionSets, type PackagePermissionSet } from './permission-sets.js';

/**
 * The whole package in one model, for the offline checks (scripts/check-metadata.mjs) that compare
 * its parts with each other. The local org and the service read only the parts they need, through
 * the readers this model is built from.
 */

export interface LightningComponent {
  name: string;
  dir: string;
  js: string | null;
  html: string | null;
  meta: Xml | null;
  metaFile: string;
}

export interface NamedMetadata {
  file: string;
  xml: Xml;
}

export interface ForceApp {
  dir: string;
  objects: Map<string, PackageObject>;
  records: CustomMetadataRecord[];
  classes: Map<string, ApexSource>;
  triggers: Map<string, ApexSource>;
  components: Map<string, LightningComponent>;
  permissionSets: Map<string, PackagePermissionSet>;
  tabs: Map<string, NamedMetadata>;
  applications: Map<string, NamedMetadata>;
  flexipages: Map<string, NamedMetadata>;
  layouts: Map<string, NamedMetadata>;
  allFiles: string[];
}

const read = (file: string) => (existsSync(file) ? readFileSync(file, 'utf8') : null);

function readComponents(allFiles: string[]): Map<string, LightningComponent> {
  const components = new Map<string, LightningComponent>();
  const lwcDirs = new Set(
    allFiles.map((file) => path.dirname(path.dirname(file))).filter((dir) => path.basename(dir) === 'lwc'),
  );
  for (const lwcDir of [...lwcDirs].sort()) {
    for (const entry of readdirSync(lwcDir, { withFileTypes: true })) {
      if (!entry.isDirectory() || components.has(entry.name)) continue;
      const dir = path.join(lwcDir, entry.name);
      const metaFile = path.join(dir, `${entry.name}.js-meta.xml`);
      components.set(entry.name, {
        name: entry.name,
        dir,
        js: read(path.join(dir, `${entry.name}.js`)),
        html: read(path.join(dir, `${entry.name}.html`)),
        meta: existsSync(metaFile)
          ? ((parseXml(metaFile).LightningComponentBundle as Xml | undefined) ?? null)
          : null,
        metaFile,
      });
    }
  }
  return components;
}

function readNamed(allFiles: string[], suffix: string, root: string): Map<string, NamedMetadata> {
  return new Map(
    allFiles
      .filter((file) => file.endsWith(suffix))
      .map((file) => [
        path.basename(file, suffix),
        { file, xml: (parseXml(file)[root] as Xml | undefined) ?? {} },
      ]),
  );
}

/**
 * Reads every part of the package. Lenient: a file that does not parse is read as empty, so the
 * checks can report every problem at once instead of stopping at the first.
 */
export function loadForceApp(dir = DEFAULT_PACKAGE_DIR): ForceApp {
  const allFiles = listPackageFiles(dir);
  return {
    dir,
    objects: readObjects(dir, allFiles),
    records: readCustomMetadataRecords(dir, { lenient: true }),
    classes: readApex(dir, '.cls'),
    triggers: readApex(dir, '.trigger'),
    components: readComponents(allFiles),
    permissionSets: readPermissionSets(dir, { lenient: true }),
    tabs: readNamed(allFiles, '.tab-meta.xml', 'CustomTab'),
    applications: readNamed(allFiles, '.app-meta.xml', 'CustomApplication'),
    flexipages: readNamed(allFiles, '.flexipage-meta.xml', 'FlexiPage'),
    layouts: readNamed(allFiles, '.layout-meta.xml', 'Layout'),
    allFiles,
  };
}
