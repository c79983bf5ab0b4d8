import type { Writable } from 'node:stream';
import { parseOptions, PIPELINE_CSV_OPTIONS, UsageError } from './options.js';
import { localDate, parseIsoDate } from './dates.js';
import { readPipelineExport } from '../adapters/csv/read-pipeline-columns.js';
import { SkippedRows } from '../adapters/csv/csv-table.js';
import { parseColumnMap } from '../adapters/csv/opportunity-columns.js';
import {
  DEFAULT_PACKAGE_DIR,
  pipelineRulesFromRecords,
  readMetadataRecords,
  rulesFromRecords,
} from '../adapters/metadata/package-metadata.js';
import { auditColumns } from '../domain/review/column-audit.js';
import { auditCsv, auditJson, moneyFormatter, type AuditSource } from './audit-report.js';
import { auditMarkdown } from './audit-markdown.js';

const FORMATS = ['md', 'json', 'csv'] as const;
type Format = (typeof FORMATS)[number];

/**
 * `scribe audit`: the pipeline hygiene audit and the weekly deal review from an opportunity export
 * (and its OpportunityHistory), as of a date, for sales ops without the integration. The export is
 * read into columns (the history streamed) and judged by the column engines. A row that cannot be
 * read is left out and named, by file, line and column, in the report and on stderr: one bad row in
 * a hundred thousand should not stop the audit of the rest.
 */
export async function runAudit(
  args: string[],
  out: Writable,
  today = localDate(new Date()),
  errors: Writable = process.stderr,
): Promise<number> {
  const opts = parseOptions(args, PIPELINE_CSV_OPTIONS);
  if (!opts.opportunities) {
    throw new UsageError('--opportunities is required: the opportunity export (CSV) to audit');
  }
  const format = (opts.format ?? 'md') as Format;
  if (!FORMATS.includes(format)) {
    throw new UsageError(`--format "${opts.format}" is not known; use md, json or csv`);
  }
  const asOf = opts['as-of'] === undefined ? today : parseIsoDate(opts['as-of'], '--as-of');

  const skip = new SkippedRows();
  const exported = await readPipelineExport(opts.opportunities, {
    map: parseColumnMap(opts.map),
    historyFile: opts.history,
    skip,
  });

  const records = await readMetadataRecords(process.env.SCRIBE_PACKAGE_DIR ?? DEFAULT_PACKAGE_DIR);
  const rules = pipelineRulesFromRecords(records);
  const formatMoney = moneyFormatter(rulesFromRecords(records).defaultCurrency);

  const { audit, undatedLeftOut } = auditColumns({ columns: exported.columns, rules, asOf, formatMoney });
  const source: AuditSource = {
    opportunities: opts.opportunities,
    history: opts.history ?? null,
    rows: exported.opportunityRows,
    historyRows: exported.historyRows,
    undatedLeftOut,
    asOfDefaulted: opts['as-of'] === undefined,
    skippedRows: skip.count,
    badRows: skip.listed.map((e) => ({ file: e.file, line: e.line, column: e.column, problem: e.problem })),
  };
  for (const bad of skip.listed) errors.write(`scribe: skipped ${bad.message}\n`);
  if (skip.count > skip.listed.length)
    errors.write(`scribe: skipped ${skip.count - skip.listed.length} more rows that could not be read\n`);

  if (format === 'json') out.write(auditJson(audit, source));
  else if (format === 'csv') out.write(auditCsv(audit));
  else out.write(auditMarkdown(audit, source, formatMoney));
  return 0;
}
