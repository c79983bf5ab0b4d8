import { createReadStream } from 'node:fs';
import { parse } from 'csv-parse';
import type { OpportunityChange } from '../../domain/pipeline/records.js';
import { PipelineColumnsBuilder, type PipelineColumns } from '../../domain/pipeline/pipeline-columns.js';
import { detectSlashOrder, type SlashOrder } from './csv-dates.js';
import { CellReader, CsvImportError, CsvRowError, SkippedRows, skipping, type CsvRow } from './csv-table.js';
import { historyChangeOf, historyColumns, historyDateColumns } from './history-rows.js';
import { readOpportunities } from './read-pipeline-csv.js';
import type { ColumnMap } from './opportunity-columns.js';

/**
 * A pipeline export read into columns. The opportunity file goes through the row reader (one row a
 * deal, and its maven joins and duplicate checks need the whole file); the history, ten or more rows
 * a deal, is streamed twice with csv-parse: once for the header and the dates' slash order (decided
 * from the whole file, as the row reader decides it), once to put each change into the columns. No
 * history row outlives its turn, so a million rows cost the columns' size, not a million records.
 */

/** More history rows than any org's export holds: a larger file is refused, not read into memory. */
export const MAX_HISTORY_ROWS = 50_000_000;
/** Rows after a blank one are held back until a data row follows: a report's footer is not data. */
const FOOTER_ROWS = 1_000;

export interface ExportReadOptions {
  map?: ColumnMap;
  historyFile?: string;
  maxHistoryRows?: number;
  /** Where rows that cannot be read are reported and left out; without it, such a row refuses its file. */
  skip?: SkippedRows;
}

export interface PipelineExport {
  columns: PipelineColumns;
  /** Rows read from each file (skipped and deleted rows not counted). */
  opportunityRows: number;
  historyRows: number;
}

export async function readPipelineExport(
  opportunitiesFile: string,
  options: ExportReadOptions = {},
): Promise<PipelineExport> {
  const dataset = await readOpportunities(opportunitiesFile, { map: options.map, skip: options.skip });
  const builder = new PipelineColumnsBuilder();
  for (const o of dataset.opportunities) builder.opportunity(o);
  for (const change of dataset.history) builder.history(change);
  const historyRows = options.historyFile
    ? await streamHistory(
        options.historyFile,
        (change) => builder.history(change),
        options.maxHistoryRows,
        options.skip,
      )
    : 0;
  return {
    columns: builder.build(dataset.knownFields),
    opportunityRows: dataset.opportunities.length,
    historyRows,
  };
}

export async function readPipelineColumns(
  opportunitiesFile: string,
  options: ExportReadOptions = {},
): Promise<PipelineColumns> {
  return (await readPipelineExport(opportunitiesFile, options)).columns;
}

/**
 * Calls `take` with each change of an OpportunityHistory export, in file order; returns how many.
 * With `skip`, a row that cannot be read is reported there and the reading goes on.
 */
export async function streamHistory(
  file: string,
  take: (change: OpportunityChange) => void,
  maxRows = MAX_HISTORY_ROWS,
  skip?: SkippedRows,
): Promise<number> {
  // The first value that says day-first and the first that says month-first: one of each is a
  // file that contradicts itself, which detectSlashOrder refuses as it refuses the whole file.
  const seen: { header: string[]; columns: ReturnType<typeof historyColumns> | null; evidence: string[] } = {
    header: [],
    columns: null,
    evidence: [],
  };
  let dayFirst = false;
  let monthFirst = false;
  // A row too wide to read is reported once, by the second pass; this one only passes it by.
  await eachRow(file, maxRows, skip ? new SkippedRows() : null, (row) => {
    if (seen.columns === null) {
      seen.header = row.cells.map((c) => c.trim());
      seen.columns = historyColumns(file, seen.header);
      return;
    }
    if (dayFirst && monthFirst) return;
    for (const c of historyDateColumns(seen.columns)) {
      const value = (row.cells[c] ?? '').trim();
      if (value === '') continue;
      let says: 'day-first' | 'month-first' | 'both' | null;
      try {
        const { order, decided } = detectSlashOrder([value]);
        says = order === 'day-first' ? order : decided ? order : null;
      } catch {
        says = 'both';
      }
      if ((says === 'day-first' || says === 'both') && !dayFirst) {
        dayFirst = true;
        seen.evidence.push(value);
      }
      if ((says === 'month-first' || says === 'both') && !monthFirst) {
        monthFirst = true;
        seen.evidence.push(value);
      }
    }
  });
  const columns = seen.columns!;
  let order: SlashOrder;
  try {
    order = detectSlashOrder(seen.evidence).order;
  } catch (error) {
    throw new CsvImportError(`${file}: ${(error as Error).message}`);
  }
  const cells = new CellReader({ file, header: seen.header }, historyDateColumns(columns), order);
  let taken = 0;
  let rows = 0;
  let first = true;
  await eachRow(file, maxRows, skip ?? null, (row) => {
    if (first) {
      first = false;
      return;
    }
    rows++;
    const change = skipping(skip, () => historyChangeOf(cells, row, columns));
    if (change) {
      take(change);
      taken++;
    }
  });
  if (rows > 0) skip?.refuseIfAllBad(file, taken);
  return taken;
}

/**
 * Each non-blank row of a CSV file with its line, header first, as parseCsv reads a whole file:
 * blank rows skipped, a report footer (single-cell rows after a blank one, to the end) dropped, and
 * a row with more cells than the header refused.
 */
async function eachRow(
  file: string,
  maxRows: number,
  skip: SkippedRows | null,
  visit: (row: CsvRow) => void,
): Promise<void> {
  const input = createReadStream(file);
  const parser = input.pipe(
    parse({ bom: true, relax_column_count: true, info: true, skip_empty_lines: false }),
  );
  let width = -1;
  let rows = 0;
  let held: CsvRow[] | null = null;
  const blank = (cells: readonly string[]) => cells.every((c) => c.trim() === '');
  try {
    for await (const { record, info } of parser as AsyncIterable<{
      record: string[];
      info: { lines: number };
    }>) {
      if (++rows > maxRows + 1) {
        throw new CsvImportError(
          `${file}: more than ${maxRows.toLocaleString('en-US')} rows; split the export by close date and read the parts`,
        );
      }
      const row: CsvRow = { line: info.lines, cells: record };
      if (width < 0) {
        if (blank(record))
          throw new CsvImportError(`${file}: the file is empty; export it with a header row`);
        width = record.length;
        visit(row);
        continue;
      }
      if (blank(record)) {
        held ??= [];
        continue;
      }
      if (held !== null) {
        if (record.filter((c) => c.trim() !== '').length <= 1 && held.length < FOOTER_ROWS) {
          held.push(row);
          continue;
        }
        const before: CsvRow[] = held;
        held = null;
        for (const r of before) checked(r);
      }
      checked(row);
    }
  } catch (error) {
    if (error instanceof CsvImportError) throw error;
    const e = error as Error & { lines?: number; code?: string };
    if (e.code === 'ENOENT') throw new CsvImportError(`cannot read --history ${file}: no such file`);
    throw new CsvImportError(
      `${file}${e.lines ? ` line ${e.lines}` : ''}: not valid CSV (${e.message.replace(/^Invalid [^:]*:\s*/, '')}); check the quotes around that line`,
    );
  } finally {
    input.destroy();
  }
  if (width < 0) throw new CsvImportError(`${file}: the file is empty; export it with a header row`);

  function checked(row: CsvRow) {
    if (row.cells.length > width && row.cells.slice(width).some((c) => c.trim() !== '')) {
      const error = new CsvRowError(
        file,
        row.line,
        null,
        `${row.cells.length} cells under a header of ${width}; check for an unquoted comma in that row`,
      );
      if (!skip) throw error;
      skip.add(error);
      return;
    }
    visit(row);
  }
}
