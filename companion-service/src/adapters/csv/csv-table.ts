import { detectSlashOrder, parseCsvDate, DATE_FORMATS_HINT, type SlashOrder } from './csv-dates.js';

/** A parsed CSV file: its header and its data rows, each with the line it started on. */
export interface CsvTable {
  /** The name errors use, usually the path as the user typed it. */
  file: string;
  header: readonly string[];
  rows: readonly CsvRow[];
}

export interface CsvRow {
  line: number;
  cells: readonly string[];
}

export class CsvImportError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CsvImportError';
  }
}

/**
 * One row a reader cannot take: the file, the line it starts on, the column when one cell is at
 * fault, and what is wrong with it. A reader that skips bad rows reports these and reads on.
 */
export class CsvRowError extends CsvImportError {
  constructor(
    readonly file: string,
    readonly line: number,
    readonly column: string | null,
    readonly problem: string,
  ) {
    super(`${file} line ${line}${column === null ? '' : `, column "${column}"`}: ${problem}`);
    this.name = 'CsvRowError';
  }
}

/** Bad rows listed in a report, at most; the rest are counted, so a file of bad rows cannot fill memory. */
export const MAX_LISTED_BAD_ROWS = 100;

/**
 * The rows a run skipped, for its report. Every one is counted; the first
 * {@link MAX_LISTED_BAD_ROWS} are kept with their line, column and problem.
 */
export class SkippedRows {
  readonly listed: CsvRowError[] = [];
  count = 0;

  add(error: CsvRowError): void {
    this.count++;
    if (this.listed.length < MAX_LISTED_BAD_ROWS) this.listed.push(error);
  }

  /**
   * A file none of whose rows could be read is wrong as a whole (a date format, a column map), not
   * a few rows: refused with its first row's problem rather than audited as an empty pipeline.
   */
  refuseIfAllBad(file: string, taken: number): void {
    const first = this.listed.find((e) => e.file === file);
    if (taken === 0 && first) throw first;
  }
}

/** Header names compared loosely: "Probability (%)", "probability" and "PROBABILITY" are one column. */
export const normalizeColumn = (name: string) => name.toLowerCase().replace(/[^a-z0-9]/g, '');

/** Memory bound on the date cells remembered per file (a cache size, not a sales rule). */
const DATE_TEXT_CACHE_ENTRIES = 100_000;

/** Reads typed cells out of one table, with errors that name the file, line, column and fix. */
export class CellReader {
  private readonly slashOrder: SlashOrder;
  /**
   * Cells already read as dates: an export repeats a few thousand dates over a million rows, and
   * parsing each again cost about a fifth of reading the files.
   */
  private readonly dates = new Map<string, string | null | undefined>();

  /** `order`: the slash order when the caller decided it already (a streamed file, read twice). */
  constructor(
    readonly table: Pick<CsvTable, 'file' | 'header'> & Partial<Pick<CsvTable, 'rows'>>,
    dateColumns: readonly number[],
    order?: SlashOrder,
  ) {
    if (order) {
      this.slashOrder = order;
      return;
    }
    try {
      this.slashOrder = detectSlashOrder(
        (table.rows ?? []).flatMap((row) => dateColumns.map((c) => row.cells[c] ?? '')),
      ).order;
    } catch (error) {
      throw new CsvImportError(`${table.file}: ${(error as Error).message}`);
    }
  }

  text(row: CsvRow, column: number | undefined): string | null {
    if (column === undefined) return null;
    const value = (row.cells[column] ?? '').trim();
    return value === '' ? null : value;
  }

  date(row: CsvRow, column: number | undefined): string | null {
    const raw = this.text(row, column);
    if (raw === null) return null;
    let date = this.dates.get(raw);
    if (date === undefined) {
      date = parseCsvDate(raw, this.slashOrder);
      if (this.dates.size < DATE_TEXT_CACHE_ENTRIES) this.dates.set(raw, date);
    }
    if (date === undefined)
      throw this.fault(row, column!, `"${raw}" is not a date; use ${DATE_FORMATS_HINT}`);
    return date;
  }

  /** Amounts as exports write them: `125000`, `1,250.50`, `USD 1,250.50`, `$1,250`. */
  number(row: CsvRow, column: number | undefined): number | null {
    const raw = this.text(row, column);
    if (raw === null) return null;
    const cleaned = raw
      .replace(/^[A-Z]{3}\s+/, '')
      .replace(/[$€£¥%\s]/g, '')
      .replace(/,(?=\d{3}\b)/g, '');
    const value = Number(cleaned);
    if (cleaned === '' || !Number.isFinite(value)) {
      throw this.fault(row, column!, `"${raw}" is not a number; write it as digits, e.g. 125000 or 1250.50`);
    }
    return value;
  }

  boolean(row: CsvRow, column: number | undefined): boolean | null {
    const raw = this.text(row, column);
    if (raw === null) return null;
    const value = raw.toLowerCase();
    if (['true', '1', 'yes', 'y'].includes(value)) return true;
    if (['false', '0', 'no', 'n'].includes(value)) return false;
    throw this.fault(row, column!, `"${raw}" is not a yes/no value; use TRUE or FALSE`);
  }

  fault(row: CsvRow, column: number, problem: string): CsvRowError {
    return new CsvRowError(this.table.file, row.line, this.table.header[column] ?? null, problem);
  }
}

/** The row `read` gives; with `skip`, null after reporting a row it cannot read, else that row's error. */
export function skipping<T>(skip: SkippedRows | undefined, read: () => T): T | null {
  try {
    return read();
  } catch (error) {
    if (!(error instanceof CsvRowError) || !skip) throw error;
    skip.add(error);
    return null;
  }
}
