import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ConfigError } from '../../config/env.js';
import { RecorderMappingSchema, type RecorderMapping } from '../../domain/source/recorder-mapping.js';

/**
 * The recorder mappings the service ships (companion-service/recorder-mappings/*.json), or an
 * operator's folder (RECORDINGS_MAPPINGS_DIR), read and checked at start: a file that does not parse,
 * misses a field or names another tool than its file stops the start with the file and the field,
 * rather than leaving a recorder's deliveries to fail one by one.
 */

export const SHIPPED_MAPPINGS_DIR = path.join(
  path.dirname(fileURLToPath(import.meta.url)),
  '../../../recorder-mappings',
);

export class RecorderMappingConfigError extends ConfigError {}

export async function loadRecorderMappings(
  dir = SHIPPED_MAPPINGS_DIR,
): Promise<Map<string, RecorderMapping>> {
  let files: string[];
  try {
    // eslint-disable-next-line security/detect-non-literal-fs-filename -- the shipped folder, or the operator's own setting
    files = (await readdir(dir)).filter((f) => f.endsWith('.json')).sort();
  } catch {
    throw new RecorderMappingConfigError(`the recorder mappings folder ${dir} cannot be read`);
  }
  const mappings = new Map<string, RecorderMapping>();
  for (const file of files) {
    let json: unknown;
    try {
      // eslint-disable-next-line security/detect-non-literal-fs-filename -- a file listed in that folder
      json = JSON.parse(await readFile(path.join(dir, file), 'utf8'));
    } catch (error) {
      throw new RecorderMappingConfigError(
        `recorder mapping ${file} is not valid JSON: ${(error as Error).message}`,
      );
    }
    const parsed = RecorderMappingSchema.safeParse(json);
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      throw new RecorderMappingConfigError(
        `recorder mapping ${file}: ${issue.path.join('.') || 'the file'} ${issue.message}; fix the file or remove it`,
      );
    }
    if (`${parsed.data.tool}.json` !== file) {
      throw new RecorderMappingConfigError(
        `recorder mapping ${file} says tool "${parsed.data.tool}": name the file ${parsed.data.tool}.json`,
      );
    }
    mappings.set(parsed.data.tool, parsed.data);
  }
  return mappings;
}
