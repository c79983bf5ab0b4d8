import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { XMLParser } from 'fast-xml-parser';

/** The package this repository ships; SCRIBE_PACKAGE_DIR points the service elsewhere. */
export const DEFAULT_PACKAGE_DIR = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '../../force-app',
);

/** Thrown when the package folder itself cannot be read; the message says which variable to set. */
export class PackageDirError extends Error {
  constructor(packageDir: string, cause: unknown) {
    super(
      `cannot read the package's metadata from ${packageDir}: ${(cause as Error).message}; set SCRIBE_PACKAGE_DIR to the force-app folder`,
      { cause },
    );
    this.name = 'PackageDirError';
  }
}

/** Every file under dir whose name passes the test, sorted, skipping jest folders and node_modules. */
export function listFiles(dir: string, test: (name: string, full: string) => boolean = () => true): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      if (entry.name !== '__tests__' && entry.name !== 'node_modules') out.push(...listFiles(full, test));
    } else if (test(entry.name, full)) {
      out.push(full);
    }
  }
  return out.sort();
}

/** listFiles of a package folder, failing with PackageDirError when the folder is not there. */
export function listPackageFiles(
  packageDir: string,
  test?: (name: string, full: string) => boolean,
): string[] {
  try {
    return listFiles(packageDir, test);
  } catch (error) {
    throw new PackageDirError(packageDir, error);
  }
}

export type Xml = Record<string, unknown>;

/** Elements that may repeat, read as arrays even when a file holds one. */
const ALWAYS_ARRAYS = new Set([
  'values',
  'value',
  'fieldPermissions',
  'objectPermissions',
  'classAccesses',
  'tabSettings',
  'customMetadataTypeAccesses',
  'applicationVisibilities',
  'userPermissions',
  'flexiPageRegions',
  'itemInstances',
  'componentInstanceProperties',
  'valueListItems',
  'fieldInstanceProperties',
  'tabs',
  'actionOverrides',
  'layoutSections',
  'layoutColumns',
  'layoutItems',
  'target',
  'targetConfig',
  'object',
  'property',
  'columns',
]);

const options = {
  ignoreAttributes: false,
  attributeNamePrefix: '@',
  parseTagValue: false,
  isArray: (name: string) => ALWAYS_ARRAYS.has(name),
};
const parser = new XMLParser(options);
/** Custom metadata values keep their spaces and line breaks: a list field is one value per line. */
export const untrimmedParser = new XMLParser({ ...options, trimValues: false });

/** The parsed document; throws on text that is not XML at all. */
export function parseXmlText(xml: string): Xml {
  return parser.parse(xml) as Xml;
}

/** The parsed file, or an empty document when it is not well-formed (the checks report that themselves). */
export function parseXml(file: string): Xml {
  try {
    return parseXmlText(readFileSync(file, 'utf8'));
  } catch {
    return {};
  }
}

export const str = (v: unknown): string => (v === undefined || v === null ? '' : String(v));
export const bool = (v: unknown): boolean => String(v) === 'true';
