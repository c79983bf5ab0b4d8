import type {
  OpportunityChange,
  OpportunityField,
  PipelineDataset,
  PipelineOpportunity,
} from '../../domain/pipeline/records.js';
import {
  CellReader,
  normalizeColumn,
  skipping,
  type CsvRow,
  type CsvTable,
  type SkippedRows,
} from './csv-table.js';
import type { SlashOrder } from './csv-dates.js';
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

/** The columns of an opportunity export whose dates decide its slash order. */
export function opportunityDateColumns(
  table: Pick<CsvTable, 'file' | 'header'>,
  map: ColumnMap = {},
): number[] {
  const columns = resolveOpportunityColumns(table, map);
  return DATE_FIELDS.flatMap((f) => (columns[f] === undefined ? [] : [columns[f]]));
}

const DATE_FIELDS: readonly OpportunityColumn[] = [
  'createdDate',
  'closeDate',
  'lastActivityDate',
  'stageEnteredDate',
  'nextStepDate',
];

/**
 * An opportunity export read a row at a time, so a streaming reader holds one row, not the file.
 * maven-crm carries no stage history, but its engage_date and close_date say exactly when a deal
 * entered Engaging and when it closed, so those two moments come back as history rows, and the
 * time-split engines see a Lost deal's close_value of 0 only from its close date on.
 */
export class OpportunityRows {
  private readonly columns: ResolvedColumns;
  private readonly cells: CellReader;
  private readonly isMaven: boolean;
  private readonly used: Set<number>;
  private readonly listPrices: Map<string, number>;
  /** The line of each deal's row, to refuse a second row for one deal. */
  private readonly firstLine = new Map<string, number>();

  /** `order`: the slash order when the caller decided it already (a streamed file, read twice). */
  constructor(
    private readonly table: Pick<CsvTable, 'file' | 'header'> & Partial<Pick<CsvTable, 'rows'>>,
    private readonly options: OpportunityImportOptions = {},
    order?: SlashOrder,
  ) {
    this.columns = resolveOpportunityColumns(table, options.map ?? {});
    this.cells = new CellReader(table, opportunityDateColumns(table, options.map), order);
    this.isMaven = ['deal_stage', 'engage_date'].every((name) =>
      table.header.some((h) => normalizeColumn(h) === normalizeColumn(name)),
    );
    this.used = new Set(Object.values(this.columns));
    this.listPrices = new Map(
      [...(options.listPrices ?? new Map<string, number>())].map(([k, v]) => [normalizeColumn(k), v]),
    );
  }

  /** One row as its deal and the history rows it implies; throws a CsvRowError naming a bad cell. */
  read(row: CsvRow): { opportunity: PipelineOpportunity; history: OpportunityChange[] } {
    const columns = this.columns;
    const id = this.cells.text(row, columns.id);
    if (id === null)
      throw this.cells.fault(row, columns.id!, 'the opportunity id is empty; every row needs one');
    const seen = this.firstLine.get(id);
    if (seen !== undefined) {
      throw this.cells.fault(
        row,
        columns.id!,
        `opportunity "${id}" appears again (first on line ${seen}); export one row per opportunity`,
      );
    }
    const stage = this.cells.text(row, columns.stage);
    if (stage === null)
      throw this.cells.fault(row, columns.stage!, `the stage of "${id}" is empty; fill it in`);

    const named = closedByName(stage);
    const isClosed = this.cells.boolean(row, columns.isClosed) ?? named !== null;
    const isWon = isClosed && (this.cells.boolean(row, columns.isWon) ?? named === 'won');
    const product = this.cells.text(row, columns.product);
    const listPrice = product === null ? undefined : this.listPrices.get(normalizeColumn(product));
    const createdDate = this.cells.date(row, columns.createdDate);
    const closeDate = this.cells.date(row, columns.closeDate);
    let amount = this.cells.number(row, columns.amount);
    if (amount === null && !isClosed && listPrice !== undefined) amount = listPrice;

    const extra: Record<string, string> = {};
    this.table.header.forEach((name, index) => {
      const value = (row.cells[index] ?? '').trim();
      if (!this.used.has(index) && value !== '') extra[name] = value;
    });
    const opportunity: PipelineOpportunity = {
      id,
      name: this.cells.text(row, columns.name),
      accountId: this.cells.text(row, columns.accountId),
      accountName: this.cells.text(row, columns.accountName),
      owner: this.cells.text(row, columns.owner),
      product,
      stage,
      isClosed,
      isWon,
      amount,
      probability: this.cells.number(row, columns.probability),
      forecastCategory: this.cells.text(row, columns.forecastCategory),
      createdDate,
      closeDate,
      lastActivityDate: this.cells.date(row, columns.lastActivityDate),
      stageEnteredDate:
        this.cells.date(row, columns.stageEnteredDate) ??
        stageEnteredFromDurations(this.cells, row, columns, createdDate, isClosed),
      nextStep: this.cells.text(row, columns.nextStep),
      nextStepDate: this.cells.date(row, columns.nextStepDate),
      contactRoleCount: this.cells.number(row, columns.contactRoleCount),
      extra: joined(extra, this.options.joins ?? [], {
        owner: this.cells.text(row, columns.owner),
        accountName: this.cells.text(row, columns.accountName),
        product,
      }),
    };
    this.firstLine.set(id, row.line);
    const history: OpportunityChange[] = [];

    if (this.isMaven && createdDate !== null) {
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
    return { opportunity, history };
  }

  get knownFields(): OpportunityField[] {
    return knownFields(this.columns, this.isMaven || this.listPrices.size > 0);
  }
}

/** Rows of an opportunity export into a pipeline dataset. Pure: the caller has read the files. */
export function fromRows(table: CsvTable, options: OpportunityImportOptions = {}): PipelineDataset {
  const reader = new OpportunityRows(table, options);
  const opportunities: PipelineOpportunity[] = [];
  const history: OpportunityChange[] = [];
  for (const row of table.rows) {
    const read = skipping(options.skip, () => reader.read(row));
    if (read === null) continue;
    opportunities.push(read.opportunity);
    history.push(...read.history);
  }
  options.skip?.refuseIfAllBad(table.file, opportunities.length);
  return {
    opportunities,
    history,
    contacts: [],
    engagement: [],
    conversations: [],
    knownFields: reader.knownFields,
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
