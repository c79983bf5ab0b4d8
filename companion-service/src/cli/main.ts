import type { Writable } from 'node:stream';
import { ZodError } from 'zod';
import { runExtract } from './extract-command.js';
import { runDemo } from './demo-command.js';
import { runStart } from './start-command.js';
import { runServe } from './serve-command.js';
import { runLocalOrg } from './local-org-command.js';
import { runWorker } from './worker-command.js';
import { runRedrive } from './redrive-command.js';
import { runAudit } from './audit-command.js';
import { runForecast } from './forecast-command.js';
import { runScan } from './scan-command.js';
import { runErase } from './erase-command.js';
import { ORGS_USAGE, runOrgs } from './orgs-command.js';
import { UsageError } from './options.js';

/**
 * Every subcommand once: how it runs and what `scribe <command> --help` prints. `scribe help` lists
 * them all, so the two can never disagree.
 */
const COMMANDS: Record<string, { run: (args: string[], out: Writable) => Promise<number>; usage: string }> = {
  extract: {
    run: runExtract,
    usage: `scribe extract --input <file> [--format-in eml|email|vtt|srt|gong|transcript|notes|memo] [--meeting-date YYYY-MM-DD]
                 [--stage "<StageName>"] [--format json|text] [--extractor embedded|llm]
                 [--seller-domains a.com,b.com] [--seller "Person A,Person B"]
                                   one conversation's insights, with its language and warnings ("scribe extract --help")`,
  },
  start: {
    run: runStart,
    usage: `scribe start [--once] [--reset]  the main job: the local org and the service, the sample conversations through
                                   POST /v1/conversations with a report of each, then the service keeps running
                                   (--once stops it; --reset reloads the local org's sample data); refused when SF_*
                                   name a real org, which never gets the samples`,
  },
  serve: {
    run: runServe,
    usage: `scribe serve                     the service alone (POST /v1/conversations, GET /v1/conversations/:id, /healthz,
                                   /readyz, /metrics) with a worker, for the org in SF_* (SF_ORG=local: the local
                                   org; a real org needs SCRIBE_API_KEY); conversations kept in DATABASE_URL's
                                   Postgres or the embedded one in SCRIBE_DATA_DIR`,
  },
  worker: {
    run: runWorker,
    usage: `scribe worker                    a worker alone, for the org in SF_* and the Postgres in DATABASE_URL`,
  },
  redrive: {
    run: runRedrive,
    usage: `scribe redrive <id>... | --all-dead
                                   put dead conversations back in the queue once their cause is fixed`,
  },
  'local-org': {
    run: runLocalOrg,
    usage: `scribe local-org [--empty] [--json]
                                   the local org alone, with a session per user for the Salesforce CLI or any REST
                                   client (--json: one JSON line with the URL, org id, namespace and the sessions)
                                   (--empty: no sample data, in memory, to load with sf data import tree)`,
  },
  demo: {
    run: runDemo,
    usage: `scribe demo                      extract the sample conversations shipped in the repo and print their notes`,
  },
  audit: {
    run: runAudit,
    usage: `scribe audit --opportunities <csv> [--history <csv>] [--as-of YYYY-MM-DD] [--format md|json|csv] [--map field=Column,...]
                                   the pipeline hygiene audit and the weekly deal review of an opportunity export`,
  },
  forecast: {
    run: runForecast,
    usage: `scribe forecast --opportunities <csv> [--history <csv>] --as-of YYYY-MM-DD [--format json|csv] [--map field=Column,...] [--out <file>]
                                   win probability per deal open at the as-of date (learned only from what was known
                                   then), the next 90 days as a range, the week's movement, the stage calibration;
                                   --out writes the report and <name>-forecast-range.svg, <name>-calibration.svg beside it`,
  },
  scan: {
    run: runScan,
    usage: `scribe scan [--as-of YYYY-MM-DD] [--dry-run] [--deals <id,...>] [--format text|json]
                                   score the org's pipeline (SF_*, or SF_ORG=local) and write back only what changed:
                                   risk, hygiene flags, decision phase, win probability, next-best actions, the
                                   stage calibration, each value with its provenance; prints reads, changes, API calls`,
  },
  erase: {
    run: runErase,
    usage: `scribe erase --conversation <id> | --email <address> [--in-org] [--json]
                                   erase every copy the service holds of a conversation, or of every conversation
                                   naming the address (queue rows, dead letters, jobs, reps' decisions); --in-org also
                                   deletes its Conversation__c, Suggestion__c and Field_Provenance__c in the org
  scribe erase --expired [--json]  purge now what is older than SCRIBE_RETENTION_DAYS (the service does it hourly)`,
  },
  orgs: { run: runOrgs, usage: ORGS_USAGE },
};

const USAGE = `usage:\n${Object.values(COMMANDS)
  .map((command) => `  ${command.usage}`)
  .join('\n')}`;

/** `--help` or `-h` among a command's own arguments (before a `--`), so no subcommand runs when asked for help. */
function asksForHelp(args: string[]): boolean {
  const end = args.indexOf('--');
  return (end === -1 ? args : args.slice(0, end)).some((arg) => arg === '--help' || arg === '-h');
}

/** Returns the exit code; every failure is one line on stderr that names the problem. */
export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  try {
    if (command === undefined || command === 'help' || command === '--help' || command === '-h') {
      process.stdout.write(USAGE + '\n');
      return command === undefined ? 2 : 0;
    }
    const entry = Object.hasOwn(COMMANDS, command) ? COMMANDS[command] : undefined;
    if (!entry) throw new UsageError(`unknown command "${command}"; run "scribe help"`);
    // extract has a longer help of its own, with every input format
    if (asksForHelp(rest) && command !== 'extract') {
      process.stdout.write(`usage:\n  ${entry.usage}\n`);
      return 0;
    }
    return await entry.run(rest, process.stdout);
  } catch (error) {
    process.stderr.write(`scribe: ${errorLine(error)}\n`);
    return error instanceof UsageError ? 2 : 1;
  }
}

/** One line that names the problem, whatever was thrown (a zod error's message is a JSON list). */
export function errorLine(error: unknown): string {
  if (error instanceof ZodError) {
    const issue = error.issues[0];
    const where = issue?.path.length ? issue.path.join('.') : 'the result';
    return `internal error: the insights break the contract at ${where}: ${issue?.message ?? 'invalid'}`;
  }
  const message = error instanceof Error ? error.message : String(error);
  return message.split('\n').find((line) => line.trim()) ?? 'unknown error';
}
