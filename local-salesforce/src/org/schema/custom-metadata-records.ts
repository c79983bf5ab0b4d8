import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { XMLParser, XMLValidator } from 'fast-xml-parser';

/**
 * The local org's deploy step for custom metadata records: it reads the package's
 * `<Type>.<DeveloperName>.md-meta.xml` files as the Metadata API would take them. The service has
 * its own reader of the same files (its offline rules); this one belongs to the emulated org, so the
 * emulator never imports the service it is a test double for.
 */

export const DEFAULT_PACKAGE_DIR = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '../../../../force-app',
);

export type MetadataValue = string | number | boolean | null;

export interface DeployedRecord {
  type: string;
  developerName: string;
  label: string;
  file: string;
  values: Record<string, MetadataValue>;
}

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@',
  parseTagValue: false,
  trimValues: false,
  isArray: (name) => name === 'values',
});

function decode(value: unknown): MetadataValue {
  if (value === undefined || value === '') return null;
  if (typeof value === 'string') return value;
  const v = value as Record<string, string>;
  if (v['@xsi:nil'] === 'true') return null;
  const text = v['#text'] ?? '';
  if (text.trim() === '' && v['@xsi:type'] !== 'xsd:string') return null;
  if (v['@xsi:type'] === 'xsd:boolean') return text === 'true';
  if (v['@xsi:type'] === 'xsd:double' || v['@xsi:type'] === 'xsd:int') return Number(text);
  return text;
}

function parseRecord(file: string, xml: string): DeployedRecord {
  const base = path.basename(file).replace(/\.md-meta\.xml$/, '');
  const dot = base.indexOf('.');
  const valid = XMLValidator.validate(xml);
  if (dot <= 0 || valid !== true) throw new Error(`${file}: not a deployable custom metadata record`);
  const doc = parser.parse(xml) as { CustomMetadata?: { label?: string; values?: unknown[] } };
  if (!doc.CustomMetadata) throw new Error(`${file}: not a CustomMetadata record`);
  const values: Record<string, MetadataValue> = {};
  for (const entry of doc.CustomMetadata.values ?? []) {
    const { field, value } = entry as { field: string; value: unknown };
    values[field] = decode(value);
  }
  return {
    type: base.slice(0, dot),
    developerName: base.slice(dot + 1),
    label: String(doc.CustomMetadata.label ?? ''),
    file,
    values,
  };
}

async function recordFiles(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...(await recordFiles(full)));
    else if (entry.name.endsWith('.md-meta.xml')) out.push(full);
  }
  return out;
}

export async function readMetadataRecords(packageDir: string): Promise<DeployedRecord[]> {
  const files = (await recordFiles(packageDir)).sort();
  return Promise.all(files.map(async (file) => parseRecord(file, await readFile(file, 'utf8'))));
}
