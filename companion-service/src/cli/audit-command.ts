import type { Writable } from 'node:stream';
import { parseOptions, PIPELINE_CSV_OPTIONS, UsageError } from './options.js';
import { localDate, parseIsoDate } from './dates.js';
import { readHistory, readOpportunities } from '../adapters/csv/read-pipeline-csv.js';
import { parseColumnMap } from '../adapters/csv/opportunity-columns.js';
import {
  DEFAULT_PACKAGE_DIR,
  pipelineRulesFromRecords,
  readMetadataRecords,
  rulesFromRecords,
} from '../adapters/metadata/package-metadata.js';
import { stateAsOf } from '../domain/pipeline/state-as-of.js';
import { addDays } from '../domain/hygiene/calendar-days.js';
import { auditPipeline } from '../domain/review/pipeline-audit.js';
import { auditCsv, auditJson, moneyFormatter } from './audit-report.js';
import { auditMarkdown } from './audit-markdown.js';

const FORMATS = ['md', 'json', 'csv'] as const;
type Format = (typeof FORMATS)[number];

/**
 * `scribe audit`: the pipeline hygiene audit and the weekly deal review from an opportunity export
 * (and its OpportunityHistory), as of a date, for sales ops without the integration.
 */
export async function runAudit(
  args: string[],
  out: Writable,
  today = localDate(new Date()),
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

  const exported = await readOpportunities(opts.opportunities, { map: parseColumnMap(opts.map) });
  const history = opts.history ? await readHistory(opts.history) : [];
  const dataset = { ...exported, history: [...exported.history, ...history] };

  const records = await readMetadataRecords(process.env.SCRIBE_PACKAGE_DIR ?? DEFAULT_PACKAGE_DIR);
  const rules = pipelineRulesFromRecords(records);
  const formatMoney = moneyFormatter(rulesFromRecords(records).defaultCurrency);

  const now = stateAsOf(dataset, asOf);
  const weekAgo = stateAsOf(dataset, addDays(asOf, -7));
  const audit = auditPipeline({ dataset: now.dataset, rules, asOf, weekAgo: weekAgo.dataset, formatMoney });
  const source = {
    opportunities: opts.opportunities,
    history: opts.history ?? null,
    rows: exported.opportunities.length,
    historyRows: history.length,
    undatedLeftOut: now.undatedLeftOut,
    asOfDefaulted: opts['as-of'] === undefined,
  };

  if (format === 'json') out.write(auditJson(audit, source));
  else if (format === 'csv') out.write(auditCsv(audit));
  else out.write(auditMarkdown(audit, source, formatMoney));
  return 0;
}
