import { parseArgs } from 'node:util';

/** A command line the CLI cannot run: exit code 2 and one line that says what is wrong. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

export function parseOptions<T extends Record<string, { type: 'string' | 'boolean'; short?: string }>>(
  args: string[],
  options: T,
) {
  try {
    return parseArgs({ args, options, allowPositionals: false, strict: true }).values;
  } catch (error) {
    throw new UsageError((error as Error).message.replace(/\. To specify.*$/, ''));
  }
}

/**
 * The options of the commands that read a pipeline from CSV exports (`audit`, `forecast`): the
 * opportunity export, its OpportunityHistory, the as-of date, the output format and a column map.
 */
export const PIPELINE_CSV_OPTIONS = {
  opportunities: { type: 'string' },
  history: { type: 'string' },
  'as-of': { type: 'string' },
  format: { type: 'string' },
  map: { type: 'string' },
} as const;
