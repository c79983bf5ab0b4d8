import type { Writable } from 'node:stream';
import pino from 'pino';
import type { FastifyBaseLogger } from 'fastify';
import { loadServiceConfig } from '../config/service-config.js';
import { loadSalesforceConfig } from '../config/salesforce-config.js';
import { connectConfiguredOrg, localDataFile } from '../app/embedded-org.js';
import { scanPipeline, type ScanReport } from '../services/pipeline-scan.js';
import { loadScanSchedule } from '../services/pipeline-scan-schedule.js';
import { scanForecast } from '../services/pipeline-scan-forecast.js';
import { loggerOptions } from '../app/logging.js';
import { parseOptions, UsageError } from './options.js';
import { localDate, parseIsoDate } from './dates.js';

/**
 * `scribe scan`: one pipeline scan against the org in SF_* (or the local org, with its saved data),
 * printing what it read, what it changed or would change, what Salesforce refused, and the API
 * calls it spent.
 */

export async function runScan(args: string[], out: Writable): Promise<number> {
  const opts = parseOptions(args, {
    'as-of': { type: 'string' },
    'dry-run': { type: 'boolean' },
    deals: { type: 'string' },
    format: { type: 'string' },
  });
  const format = opts.format ?? 'text';
  if (format !== 'text' && format !== 'json')
    throw new UsageError(`--format "${format}" is not known; use text or json`);
  const asOf = opts['as-of'] === undefined ? localDate(new Date()) : parseIsoDate(opts['as-of'], '--as-of');
  const ids = opts.deals
    ?.split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  if (opts.deals !== undefined && !ids?.length)
    throw new UsageError('--deals needs opportunity ids separated by commas');

  const service = loadServiceConfig(process.env);
  const salesforce = loadSalesforceConfig(process.env);
  const schedule = loadScanSchedule(process.env);
  const logger = pino(loggerOptions('warn'), process.stderr) as unknown as FastifyBaseLogger;
  const connection = await connectConfiguredOrg(salesforce, logger, {
    dataFile: service.localOrgStorage === 'file' ? localDataFile(service.dataDir) : undefined,
    port: service.localOrgPort,
    faults: service.localOrgFaults,
  });
  try {
    const report = await scanPipeline(
      connection.api,
      await connection.snapshots.get(),
      ids ? { kind: 'deals', ids } : { kind: 'full', closedLookbackDays: schedule.closedLookbackDays },
      { asOf, dryRun: opts['dry-run'] === true, forecast: scanForecast },
    );
    out.write(
      format === 'json'
        ? JSON.stringify(report, null, 2) + '\n'
        : describeScan(report, connection.description),
    );
    return report.failures.length > 0 ? 1 : 0;
  } finally {
    await connection.close();
  }
}

export function describeScan(r: ScanReport, where: string): string {
  const c = r.changed;
  const verb = r.dryRun ? 'would change' : 'changed';
  const lines = [
    `Pipeline scan ${r.runId} (${r.mode === 'full' ? 'full' : 'the given deals'}) of ${where}, as of ${r.asOf}${r.dryRun ? ', dry run: nothing written' : ''}`,
    `Read: ${r.read.opportunities} opportunities, ${r.read.history} history rows, ${r.read.contacts} contacts, ${r.read.activities} activities, ${r.read.conversations} conversations, ${r.read.actions} scan actions`,
    `Scored: ${r.scored.open} open deals, ${r.scored.flagged} flagged, ${r.scored.actions} next-best actions${r.scored.forecast ? ', with the forecast' : ', no forecast'}`,
    `${r.dryRun ? 'Would change' : 'Changed'}: ${c.opportunities} opportunities (${c.fields} fields), actions ${c.actionsCreated} new, ${c.actionsUpdated} updated, ${c.actionsClosed} closed (${c.actionsLeftToRep} left as reps marked them), ${c.calibrationRows} calibration rows, ${c.reviews} weekly reviews, ${c.provenance} provenance records, ${c.historyRows} deal history rows, ${c.forecastSnapshots} forecast snapshots`,
    `API calls: ${r.apiCalls.read} to read, ${r.apiCalls.write} to write, ${r.apiCalls.total} in all; ${r.durationMs} ms`,
  ];
  const writes = Object.entries(r.apiCalls.writesByObject);
  if (writes.length > 0)
    lines.push(
      `Writes: ${writes.map(([object, w]) => `${object} ${w.records} records in ${w.calls} calls`).join(', ')}`,
    );
  if (
    c.opportunities +
      c.actionsCreated +
      c.actionsUpdated +
      c.actionsClosed +
      c.calibrationRows +
      c.reviews ===
    0
  )
    lines.push(`Nothing ${verb}: the org already holds every value.`);
  if (r.runRecord?.saved)
    lines.push(`Recorded as Scan_Run__c ${r.runId} (1 more call): the package's Setup tab shows it.`);
  else if (r.runRecord?.failure)
    lines.push(
      `Not recorded in the org (Scan_Run__c): ${r.runRecord.failure.code}: ${r.runRecord.failure.message}`,
    );
  for (const s of r.skipped) lines.push(`Skipped ${s}`);
  if (r.failures.length > 0) {
    lines.push(`Salesforce refused ${r.failures.length} records (the rest were written):`);
    for (const f of r.failures.slice(0, 20))
      lines.push(
        `  ${f.object} ${f.key}: ${f.code}: ${f.message}${f.fields.length ? ` [${f.fields.join(', ')}]` : ''}`,
      );
    if (r.failures.length > 20)
      lines.push(`  and ${r.failures.length - 20} more (--format json lists them all)`);
  }
  return lines.join('\n') + '\n';
}
