import { createReadStream } from 'node:fs';
import { parse } from 'csv-parse';
import type { OpportunityChange, PipelineDataset } from '../../domain/pipeline/records.js';
import { PipelineColumnsBuilder, type PipelineColumns } from '../../domain/pipeline/pipeline-columns.js';
import { detectSlashOrder, type SlashOrder } from './csv-dates.js';
import {
  CellReader,
  CsvImportError,
  CsvRowError,
  normalizeColumn,
  SkippedRows,
  skipping,
  type CsvRow,
} from './csv-table.js';
import { historyChangeOf, historyColumns, historyDateColumns } from './history-rows.js';
import { readOpportunities } from './read-pipeline-csv.js';
import type { ColumnMap } from './opportunity-columns.js';
import { OpportunityRows, opportunityDateColumns } from './opportunity-rows.js';

/**
 * A pipeline export read into columns. The opportunity file and the history are each streamed twice
 * with csv-parse: once for the header and the dates' slash order (decided from the whole file, as
 * the row reader decides it), once to put each row into the columns. No row outlives its turn, so a
 * million rows cost the columns' size, not a million records. A maven-crm export, which joins
 * sibling files by key and is small, goes through the row reader whole.
 */

/** More history rows than any org's export holds: a larger file is refused, not read into memory. */
export const MAX_HISTORY_ROWS = 50_000_000;
/** More opportunities than any org's export holds, refused likewise. */
export const MAX_OPPORTUNITY_ROWS = 10_000_000;
/** Rows after a blank one are held back until a data row follows: a report's footer is not data. */
const FOOTER_ROWS = 1_000;

export interface ExportReadOptions {
  map?: ColumnMap;
  historyFile?: string;
  maxHistoryRows?: number;
  maxOpportunityRows?: number;
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
  const builder = new PipelineColumnsBuilder();
  let opportunityRows = 0;
  let knownFields: PipelineDataset['knownFields'];
  const header = await headerOf(opportunitiesFile, '--opportunities');
  if (header.some((h) => normalizeColumn(h) === 'dealstage')) {
    // maven-crm joins sibling files by key; its exports are small, so the row reader reads it whole.
    const dataset = await readOpportunities(opportunitiesFile, { map: options.map, skip: options.skip });
    for (const o of dataset.opportunities) builder.opportunity(o);
    for (const change of dataset.history) builder.history(change);
    opportunityRows = dataset.opportunities.length;
    knownFields = dataset.knownFields;
  } else {
    let reader: OpportunityRows | null = null;
    opportunityRows = await streamTable(
      opportunitiesFile,
      '--opportunities',
      options.maxOpportunityRows ?? MAX_OPPORTUNITY_ROWS,
      options.skip,
      (head) => ({
        dateColumns: opportunityDateColumns({ file: opportunitiesFile, header: head }, options.map),
        reader: (order) => {
          reader = new OpportunityRows(
            { file: opportunitiesFile, header: head },
            { map: options.map },
            order,
          );
          return (row) => reader!.read(row);
        },
      }),
      (read) => {
        builder.opportunity(read.opportunity);
        for (const change of read.history) builder.history(change);
      },
    );
    knownFields = (reader as OpportunityRows | null)?.knownFields;
  }
  const historyRows = options.historyFile
    ? await streamHistory(
        options.historyFile,
        (change) => builder.history(change),
        options.maxHistoryRows,
        options.skip,
      )
    : 0;
  return { columns: builder.build(knownFields), opportunityRows, historyRows };
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
export function streamHistory(
  file: string,
  take: (change: OpportunityChange) => void,
  maxRows = MAX_HISTORY_ROWS,
  skip?: SkippedRows,
): Promise<number> {
  return streamTable(
    file,
    '--history',
    maxRows,
    skip,
    (header) => {
      const columns = historyColumns(file, header);
      const dateColumns = historyDateColumns(columns);
      return {
        dateColumns,
        reader: (order) => {
          const cells = new CellReader({ file, header }, dateColumns, order);
          return (row) => historyChangeOf(cells, row, columns);
        },
      };
    },
    take,
  );
}

/** How a streamed table is read, once its header is known. */
interface TableReading<T> {
  /** The columns whose dates decide the file's slash order. */
  dateColumns: readonly number[];
  /** A reader of one row (null for a row to pass over), for the slash order the file uses. */
  reader: (order: SlashOrder) => (row: CsvRow) => T | null;
}

/**
 * A CSV file streamed twice with csv-parse: once for the header and the dates' slash order
 * (decided from the whole file, as the row reader decides it), once to read each row and hand it to
 * `take`. No row outlives its turn. Returns how many rows were taken.
 */
async function streamTable<T>(
  file: string,
  option: string,
  maxRows: number,
  skip: SkippedRows | undefined,
  open: (header: string[]) => TableReading<T>,
  take: (value: T) => void,
): Promise<number> {
  // The first value that says day-first and the first that says month-first: one of each is a
  // file that contradicts itself, which detectSlashOrder refuses as it refuses the whole file.
  const seen: { header: string[]; reading: TableReading<T> | null; evidence: string[] } = {
    header: [],
    reading: null,
    evidence: [],
  };
  let dayFirst = false;
  let monthFirst = false;
  // A row too wide to read is named by the second pass, in its turn; this one only passes it by.
  await eachRow(file, option, maxRows, PASS_OVER, (row) => {
    if (seen.reading === null) {
      seen.header = row.cells.map((c) => c.trim());
      seen.reading = open(seen.header);
      return;
    }
    if (dayFirst && monthFirst) return;
    for (const c of seen.reading.dateColumns) {
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
  let order: SlashOrder;
  try {
    order = detectSlashOrder(seen.evidence).order;
  } catch (error) {
    throw new CsvImportError(`${file}: ${(error as Error).message}`);
  }
  const read = seen.reading!.reader(order);
  let taken = 0;
  let rows = 0;
  let first = true;
  await eachRow(file, option, maxRows, skip ?? null, (row) => {
    if (first) {
      first = false;
      return;
    }
    rows++;
    const value = skipping(skip, () => read(row));
    if (value !== null) {
      take(value);
      taken++;
    }
  });
  if (rows > 0) skip?.refuseIfAllBad(file, taken);
  return taken;
}

/**
 * The reading of a pass that only looks (the header, the dates' order): rows are not numbered, which
 * csv-parse does at a cost, and a row too wide to read is passed by for the pass that reads it.
 */
const PASS_OVER = Symbol('pass over');
const NO_LINE = { lines: 0 };

/** The header of a CSV file, read without reading the rest. */
async function headerOf(file: string, option: string): Promise<string[]> {
  let header: string[] = [];
  await eachRow(file, option, 0, PASS_OVER, (row) => {
    header = row.cells.map((c) => c.trim());
    throw HEADER_READ;
  }).catch((error: unknown) => {
    if (error !== HEADER_READ) throw error;
  });
  return header;
}
/** Thrown to stop reading once the header is in; caught right there. */
const HEADER_READ = new CsvImportError('header read');

/**
 * Each non-blank row of a CSV file with its line, header first, as parseCsv reads a whole file:
 * blank rows skipped, a report footer (single-cell rows after a blank one, to the end) dropped, and
 * a row with more cells than the header refused.
 */
async function eachRow(
  file: string,
  option: string,
  maxRows: number,
  skip: SkippedRows | typeof PASS_OVER | null,
  visit: (row: CsvRow) => void,
): Promise<void> {
  const numbered = skip !== PASS_OVER;
  const input = createReadStream(file);
  const parser = input.pipe(
    parse({ bom: true, relax_column_count: true, info: numbered, skip_empty_lines: false }),
  );
  let width = -1;
  let rows = 0;
  let held: CsvRow[] | null = null;
  const blank = (cells: readonly string[]) => cells.every((c) => c.trim() === '');
  try {
    for await (const read of parser as AsyncIterable<
      { record: string[]; info: { lines: number } } | string[]
    >) {
      const { record, info } = numbered
        ? (read as { record: string[]; info: { lines: number } })
        : { record: read as string[], info: NO_LINE };
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
    if (e.code === 'ENOENT') throw new CsvImportError(`cannot read ${option} ${file}: no such file`);
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
      if (skip === PASS_OVER) return;
      if (!skip) throw error;
      skip.add(error);
      return;
    }
    visit(row);
  }
}
