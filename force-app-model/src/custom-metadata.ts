import { readFileSync } from 'node:fs';
import path from 'node:path';
import { XMLValidator } from 'fast-xml-parser';
import { listPackageFiles, untrimmedParser } from './files.js';

/**
 * Custom metadata records as the Metadata API deploys them: one `<Type>.<DeveloperName>.md-meta.xml`
 * per record, each value typed by its `xsi:type`. The service's rules, the local org's records and
 * the checks read them here.
 * https://developer.salesforce.com/docs/atlas.en-us.api_meta.meta/api_meta/meta_custommetadata.htm
 */

export type MetadataValue = string | number | boolean | null;

/** One `<values>` entry as written, for checks that compare it with its field's type. */
export interface MetadataEntry {
  field: string;
  nil: boolean;
  xsiType: string | null;
  /** The value's text, trimmed. */
  text: string;
}

export interface CustomMetadataRecord {
  /** The type's name without `__mdt` (`Stage_Definition`); '' when the file name has none. */
  type: string;
  developerName: string;
  label: string;
  file: string;
  /** Decoded by xsi:type: numbers, booleans, text; an empty number or checkbox is null (unset). */
  values: Record<string, MetadataValue>;
  entries: MetadataEntry[];
}

function decode(value: unknown): MetadataValue {
  if (value === undefined || value === '') return null;
  if (typeof value === 'string') return value;
  const v = value as Record<string, string>;
  if (v['@xsi:nil'] === 'true') return null;
  const text = v['#text'] ?? '';
  // An empty number or checkbox is unset, not 0 or false.
  if (text.trim() === '' && v['@xsi:type'] !== 'xsd:string') return null;
  switch (v['@xsi:type']) {
    case 'xsd:boolean':
      return text === 'true';
    case 'xsd:double':
    case 'xsd:int':
      return Number(text);
    default:
      return text;
  }
}

function entryOf(field: string, value: unknown): MetadataEntry {
  const attributes = typeof value === 'object' && value !== null ? (value as Record<string, string>) : {};
  const text =
    typeof value === 'object' && value !== null ? (attributes['#text'] ?? '') : String(value ?? '');
  return {
    field,
    nil: attributes['@xsi:nil'] === 'true',
    xsiType: attributes['@xsi:type'] ?? null,
    text: text.trim(),
  };
}

function nameParts(file: string): { type: string; developerName: string } {
  const base = path.basename(file).replace(/\.md-meta\.xml$/, '');
  const dot = base.indexOf('.');
  return dot > 0
    ? { type: base.slice(0, dot), developerName: base.slice(dot + 1) }
    : { type: '', developerName: base };
}

/** One record; throws, naming the file and the fix, when it would not deploy. */
export function parseCustomMetadataRecord(file: string, xml: string): CustomMetadataRecord {
  const { type, developerName } = nameParts(file);
  if (!type) throw new Error(`${file}: a record file is named <Type>.<DeveloperName>.md-meta.xml`);
  const wellFormed = XMLValidator.validate(xml);
  if (wellFormed !== true) {
    throw new Error(
      `${file}: not well-formed XML at line ${wellFormed.err.line}: ${wellFormed.err.msg.replace(/\s+/g, ' ')}`,
    );
  }
  const doc = untrimmedParser.parse(xml) as { CustomMetadata?: { label?: string; values?: unknown[] } };
  if (!doc.CustomMetadata) throw new Error(`${file}: not a CustomMetadata record`);
  const values: Record<string, MetadataValue> = {};
  const entries: MetadataEntry[] = [];
  for (const entry of doc.CustomMetadata.values ?? []) {
    const { field, value } = entry as { field: unknown; value: unknown };
    // <value> is always read as an array (field files repeat it); a record holds one.
    const single = Array.isArray(value) ? value[0] : value;
    const name = String(field).trim();
    values[name] = decode(single);
    entries.push(entryOf(name, single));
  }
  return { type, developerName, label: String(doc.CustomMetadata.label ?? ''), file, values, entries };
}

/**
 * A record for the checks, which report a broken file themselves: one that does not parse is read
 * as a record without label or values.
 */
function parseOrEmpty(file: string): CustomMetadataRecord {
  try {
    return parseCustomMetadataRecord(file, readFileSync(file, 'utf8'));
  } catch {
    return { ...nameParts(file), label: '', file, values: {}, entries: [] };
  }
}

/** Every record in the package, sorted by file; throws on the first that would not deploy. */
export function readCustomMetadataRecords(
  packageDir: string,
  { lenient = false }: { lenient?: boolean } = {},
): CustomMetadataRecord[] {
  const files = listPackageFiles(packageDir, (name) => name.endsWith('.md-meta.xml'));
  return files.map((file) =>
    lenient ? parseOrEmpty(file) : parseCustomMetadataRecord(file, readFileSync(file, 'utf8')),
  );
}
