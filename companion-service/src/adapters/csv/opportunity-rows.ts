import type {
  OpportunityChange,
  OpportunityField,
  PipelineDataset,
  PipelineOpportunity,
} from '../../domain/pipeline/records.js';
import { CellReader, CsvRowError, normalizeColumn, type CsvTable, type SkippedRows } from './csv-table.js';
import {
  resolveOpportunityColumns,
  type ColumnMap,
  type OpportunityColumn,
  type ResolvedColumns,
} from './opportunity-columns.js';

export interface OpportunityImportOptions {
  map?: ColumnMap;
  /**
   * Product list prices by product name (maven's products.csv). An open maven deal has no
   * close_value, so its expected amount is its product's list price.
   */
  listPrices?: ReadonlyMap<string, number>;
  /** Extra columns joined in by a key column of the opportunity file (maven's sales_teams.csv, accounts.csv). */
  joins?: readonly CsvJoin[];
  /** Where a row that cannot be read is reported and left out; without it, the file is refused. */
  skip?: SkippedRows;
}

export interface CsvJoin {
  /** The opportunity field whose value is the key, e.g. `owner` for sales_teams.csv. */
  on: 'owner' | 'accountName' | 'product';
  /** Key value (as in the opportunity file) to the extra columns it brings. */
  rows: ReadonlyMap<string, Readonly<Record<string, string>>>;
}

/** maven-crm's stages: Prospecting, then Engaging from engage_date, then Won or Lost on close_date. */
const MAVEN_OPEN_STAGE = 'Engaging';

// eslint-disable-next-line security/detect-unsafe-regex -- anchored, one optional prefix of a stage name
const WON_STAGE = /^(closed[\s_/-]*)?won$/i;
// eslint-disable-next-line security/detect-unsafe-regex -- anchored, one optional prefix of a stage name
const LOST_STAGE = /^(closed[\s_/-]*)?lost$/i;

/**
 * Rows of an opportunity export into a pipeline dataset. Pure: the caller has read the files.
 * maven-crm carries no stage history, but its engage_date and close_date say exactly when a deal
 * entered Engaging and when it closed, so those two moments come back as history rows, and the
 * time-split engines see a Lost deal's close_value of 0 only from its close date on.
 */
export function fromRows(table: CsvTable, options: OpportunityImportOptions = {}): PipelineDataset {
  const columns = resolveOpportunityColumns(table, options.map ?? {});
  const dateFields: OpportunityColumn[] = [
    'createdDate',
    'closeDate',
    'lastActivityDate',
    'stageEnteredDate',
    'nextStepDate',
  ];
  const cells = new CellReader(
    table,
    dateFields.flatMap((f) => (columns[f] === undefined ? [] : [columns[f]])),
  );
  const isMaven = ['deal_stage', 'engage_date'].every((name) =>
    table.header.some((h) => normalizeColumn(h) === normalizeColumn(name)),
  );
  const used = new Set(Object.values(columns));
  const listPrices = new Map(
    [...(options.listPrices ?? new Map<string, number>())].map(([k, v]) => [normalizeColumn(k), v]),
  );

  const opportunities: PipelineOpportunity[] = [];
  const history: OpportunityChange[] = [];
  const firstLine = new Map<string, number>();
  for (const row of table.rows) {
    try {
      const id = cells.text(row, columns.id);
      if (id === null)
        throw cells.fault(row, columns.id!, 'the opportunity id is empty; every row needs one');
      const seen = firstLine.get(id);
      if (seen !== undefined) {
        throw cells.fault(
          row,
          columns.id!,
          `opportunity "${id}" appears again (first on line ${seen}); export one row per opportunity`,
        );
      }
      const stage = cells.text(row, columns.stage);
      if (stage === null) throw cells.fault(row, columns.stage!, `the stage of "${id}" is empty; fill it in`);

      const named = closedByName(stage);
      const isClosed = cells.boolean(row, columns.isClosed) ?? named !== null;
      const isWon = isClosed && (cells.boolean(row, columns.isWon) ?? named === 'won');
      const product = cells.text(row, columns.product);
      const listPrice = product === null ? undefined : listPrices.get(normalizeColumn(product));
      const createdDate = cells.date(row, columns.createdDate);
      const closeDate = cells.date(row, columns.closeDate);
      let amount = cells.number(row, columns.amount);
      if (amount === null && !isClosed && listPrice !== undefined) amount = listPrice;

      const extra: Record<string, string> = {};
      table.header.forEach((name, index) => {
        const value = (row.cells[index] ?? '').trim();
        if (!used.has(index) && value !== '') extra[name] = value;
      });
      const opportunity: PipelineOpportunity = {
        id,
        name: cells.text(row, columns.name),
        accountId: cells.text(row, columns.accountId),
        accountName: cells.text(row, columns.accountName),
        owner: cells.text(row, columns.owner),
        product,
        stage,
        isClosed,
        isWon,
        amount,
        probability: cells.number(row, columns.probability),
        forecastCategory: cells.text(row, columns.forecastCategory),
        createdDate,
        closeDate,
        lastActivityDate: cells.date(row, columns.lastActivityDate),
        stageEnteredDate:
          cells.date(row, columns.stageEnteredDate) ??
          stageEnteredFromDurations(cells, row, columns, createdDate, isClosed),
        nextStep: cells.text(row, columns.nextStep),
        nextStepDate: cells.date(row, columns.nextStepDate),
        contactRoleCount: cells.number(row, columns.contactRoleCount),
        extra: joined(extra, options.joins ?? [], {
          owner: cells.text(row, columns.owner),
          accountName: cells.text(row, columns.accountName),
          product,
        }),
      };
      firstLine.set(id, row.line);
      opportunities.push(opportunity);

      if (isMaven && createdDate !== null) {
        history.push({
          opportunityId: id,
          date: createdDate,
          stage: MAVEN_OPEN_STAGE,
          amount: listPrice ?? null,
          closeDate: null,
          probability: null,
          forecastCategory: null,
        });
        if (isClosed && closeDate !== null) {
          history.push({
            opportunityId: id,
            date: closeDate,
            stage,
            amount,
            closeDate,
            probability: isWon ? 100 : 0,
            forecastCategory: null,
          });
        }
      }
    } catch (error) {
      if (!(error instanceof CsvRowError) || !options.skip) throw error;
      options.skip.add(error);
    }
  }
  options.skip?.refuseIfAllBad(table.file, opportunities.length);

  return {
    opportunities,
    history,
    contacts: [],
    engagement: [],
    conversations: [],
    knownFields: knownFields(columns, isMaven || listPrices.size > 0),
  };
}

function closedByName(stage: string): 'won' | 'lost' | null {
  if (WON_STAGE.test(stage.trim())) return 'won';
  if (LOST_STAGE.test(stage.trim())) return 'lost';
  return null;
}

/**
 * A report export gives "Age" (days since created) and "Stage Duration" (days in the current stage)
 * instead of dates; for an open deal both count to the day of the export, so their difference is
 * the day the deal entered its stage, counted from the created date.
 */
function stageEnteredFromDurations(
  cells: CellReader,
  row: CsvTable['rows'][number],
  columns: ResolvedColumns,
  createdDate: string | null,
  isClosed: boolean,
): string | null {
  if (isClosed || createdDate === null) return null;
  const age = cells.number(row, columns.age);
  const inStage = cells.number(row, columns.stageDuration);
  if (age === null || inStage === null) return null;
  const entered = new Date(Date.parse(createdDate) + (age - inStage) * 86_400_000);
  return entered.toISOString().slice(0, 10);
}

function joined(
  extra: Record<string, string>,
  joins: readonly CsvJoin[],
  keys: Record<CsvJoin['on'], string | null>,
): Record<string, string> {
  for (const join of joins) {
    const key = keys[join.on];
    const row = key === null ? undefined : join.rows.get(key);
    if (row) for (const [name, value] of Object.entries(row)) if (!(name in extra)) extra[name] = value;
  }
  return extra;
}

const FIELD_OF_COLUMN: Partial<Record<OpportunityColumn, OpportunityField>> = {
  name: 'name',
  accountId: 'accountId',
  accountName: 'accountName',
  owner: 'owner',
  product: 'product',
  amount: 'amount',
  probability: 'probability',
  forecastCategory: 'forecastCategory',
  createdDate: 'createdDate',
  closeDate: 'closeDate',
  lastActivityDate: 'lastActivityDate',
  stageEnteredDate: 'stageEnteredDate',
  nextStep: 'nextStep',
  nextStepDate: 'nextStepDate',
  contactRoleCount: 'contactRoleCount',
};

function knownFields(columns: ResolvedColumns, amountFromCatalog: boolean): OpportunityField[] {
  const known = new Set<OpportunityField>();
  for (const column of Object.keys(columns) as OpportunityColumn[]) {
    const field = FIELD_OF_COLUMN[column];
    if (field) known.add(field);
  }
  if (columns.age !== undefined && columns.stageDuration !== undefined) known.add('stageEnteredDate');
  if (amountFromCatalog) known.add('amount');
  return [...known];
}
