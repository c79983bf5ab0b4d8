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

/** Header names compared loosely: "Probability (%)", "probability" and "PROBABILITY" are one column. */
export const normalizeColumn = (name: string) => name.toLowerCase().replace(/[^a-z0-9]/g, '');

/** Reads typed cells out of one table, with errors that name the file, line, column and fix. */
export class CellReader {
  private readonly slashOrder: SlashOrder;

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
    const date = parseCsvDate(raw, this.slashOrder);
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

  fault(row: CsvRow, column: number, problem: string): CsvImportError {
    return new CsvImportError(
      `${this.table.file} line ${row.line}, column "${this.table.header[column]}": ${problem}`,
    );
  }
}
