import type { OpportunityChange } from '../../domain/pipeline/records.js';
import {
  CellReader,
  CsvImportError,
  normalizeColumn,
  type CsvRow,
  type CsvTable,
  skipping,
  type SkippedRows,
} from './csv-table.js';

/**
 * OpportunityHistory as a data export writes it (OpportunityId, CreatedDate, StageName, Amount,
 * CloseDate, Probability, ForecastCategory) or as an "Opportunity History" report labels it.
 */
const HISTORY_COLUMNS = {
  opportunityId: ['OpportunityId', 'Opportunity ID', 'Opportunity ID 18'],
  date: ['CreatedDate', 'Created Date', 'Edit Date', 'Last Modified', 'Change Date'],
  stage: ['StageName', 'Stage', 'To Stage'],
  amount: ['Amount'],
  closeDate: ['CloseDate', 'Close Date'],
  probability: ['Probability', 'Probability (%)'],
  forecastCategory: ['ForecastCategory', 'Forecast Category'],
  isDeleted: ['IsDeleted'],
} as const;
type HistoryColumn = keyof typeof HISTORY_COLUMNS;

export type HistoryColumns = Partial<Record<HistoryColumn, number>>;

/** Where each history field is in a header; throws naming the columns looked for when one is missing. */
export function historyColumns(file: string, header: readonly string[]): HistoryColumns {
  const columns: HistoryColumns = {};
  for (const field of Object.keys(HISTORY_COLUMNS) as HistoryColumn[]) {
    const index = header.findIndex((h) =>
      HISTORY_COLUMNS[field].some((alias) => normalizeColumn(alias) === normalizeColumn(h)),
    );
    if (index >= 0) columns[field] = index;
  }
  for (const field of ['opportunityId', 'date', 'stage'] as const) {
    if (columns[field] === undefined) {
      throw new CsvImportError(
        `${file}: no ${field} column in the history (looked for ${HISTORY_COLUMNS[field].map((c) => `"${c}"`).join(', ')}); export OpportunityHistory with OpportunityId, CreatedDate and StageName`,
      );
    }
  }
  return columns;
}

/** The columns whose dates decide a file's slash order. */
export const historyDateColumns = (columns: HistoryColumns): number[] => [
  columns.date!,
  ...(columns.closeDate === undefined ? [] : [columns.closeDate]),
];

/** One row as a change, or null for a deleted row; throws naming the line and column of a bad cell. */
export function historyChangeOf(
  cells: CellReader,
  row: CsvRow,
  columns: HistoryColumns,
): OpportunityChange | null {
  if (cells.boolean(row, columns.isDeleted) === true) return null;
  const opportunityId = cells.text(row, columns.opportunityId);
  if (opportunityId === null) throw cells.fault(row, columns.opportunityId!, 'the opportunity id is empty');
  const date = cells.date(row, columns.date);
  if (date === null) throw cells.fault(row, columns.date!, 'the date of the change is empty');
  const stage = cells.text(row, columns.stage);
  if (stage === null) throw cells.fault(row, columns.stage!, 'the stage is empty');
  return {
    opportunityId,
    date,
    stage,
    amount: cells.number(row, columns.amount),
    closeDate: cells.date(row, columns.closeDate),
    probability: cells.number(row, columns.probability),
    forecastCategory: cells.text(row, columns.forecastCategory),
  };
}

/** The changes of a history table; with `skip`, a row that cannot be read is reported there and left out. */
export function historyFromRows(table: CsvTable, skip?: SkippedRows): OpportunityChange[] {
  const columns = historyColumns(table.file, table.header);
  const cells = new CellReader(table, historyDateColumns(columns));
  const changes: OpportunityChange[] = [];
  for (const row of table.rows) {
    const change = skipping(skip, () => historyChangeOf(cells, row, columns));
    if (change) changes.push(change);
  }
  if (table.rows.length > 0) skip?.refuseIfAllBad(table.file, changes.length);
  return changes;
}
