import { readFileSync } from 'node:fs';
import path from 'node:path';
import { listPackageFiles } from './files.js';

/**
 * The package's Apex: classes and triggers with their source and their `-meta.xml`, and the entry
 * points Salesforce calls them through. The checks need to know which classes Lightning components
 * and REST clients may reach: `@AuraEnabled` methods, `@RestResource` classes, triggers.
 */

export interface ApexSource {
  name: string;
  /** The `.cls` or `.trigger` file; null when only its -meta.xml exists. */
  file: string | null;
  /** The `-meta.xml`; null when missing. */
  meta: string | null;
  text: string;
  /** The class has at least one `@AuraEnabled` member: Lightning components may call it. */
  auraEnabled: boolean;
  /** The `urlMapping` of `@RestResource`, or null when the class is not a REST resource. */
  restResource: string | null;
}

const REST_RESOURCE = /@RestResource\s*\(\s*urlMapping\s*=\s*'([^']*)'/i;

/** Every `.cls` (or `.trigger`) in the package with its meta file, by name. */
export function readApex(packageDir: string, extension: '.cls' | '.trigger'): Map<string, ApexSource> {
  const sources = new Map<string, ApexSource>();
  const files = listPackageFiles(
    packageDir,
    (name) => name.endsWith(extension) || name.endsWith(`${extension}-meta.xml`),
  );
  for (const file of files) {
    const name = path.basename(file).replace(`${extension}-meta.xml`, '').replace(extension, '');
    const entry = sources.get(name) ?? {
      name,
      file: null,
      meta: null,
      text: '',
      auraEnabled: false,
      restResource: null,
    };
    if (file.endsWith('-meta.xml')) entry.meta = file;
    else {
      entry.file = file;
      entry.text = readFileSync(file, 'utf8');
      entry.auraEnabled = /@AuraEnabled/i.test(entry.text);
      entry.restResource = REST_RESOURCE.exec(entry.text)?.[1] ?? null;
    }
    sources.set(name, entry);
  }
  return sources;
}
