import { parseArgs } from 'node:util';
import { runExtract } from './extract-command.js';
import { runDemo } from './demo-command.js';

export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

const USAGE = `usage:
  scribe extract --input <file> [--meeting-date YYYY-MM-DD] [--stage "<StageName>"] [--format json|text] [--extractor embedded|llm]
  scribe demo                      extract the sample conversations shipped in the repo and print their notes`;

/** Returns the exit code; every failure is one line on stderr that names the problem. */
export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case 'extract':
        return await runExtract(rest, process.stdout);
      case 'demo':
        return await runDemo(rest, process.stdout);
      case undefined:
      case '--help':
      case '-h':
      case 'help':
        process.stdout.write(USAGE + '\n');
        return command === undefined ? 2 : 0;
      default:
        throw new UsageError(`unknown command "${command}"; run "scribe help"`);
    }
  } catch (error) {
    const err = error as Error;
    process.stderr.write(`scribe: ${err.message.split('\n')[0]}\n`);
    return err instanceof UsageError ? 2 : 1;
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
