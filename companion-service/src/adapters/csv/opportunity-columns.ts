import { CsvImportError, normalizeColumn, type CsvTable } from './csv-table.js';

/**
 * Which column holds which opportunity field. Three shapes are recognized without help: maven-crm's
 * sales_pipeline.csv, a Salesforce data export (API names: StageName, CloseDate), and a Salesforce
 * report export (labels: "Stage", "Close Date", "Opportunity Owner"). Anything else is named with
 * `--map field=Column`.
 */

export const OPPORTUNITY_COLUMNS = {
  id: ['Opportunity ID', 'Id', 'opportunity_id', 'Opportunity ID 18'],
  name: ['Opportunity Name', 'Name'],
  accountId: ['AccountId', 'Account ID'],
  accountName: ['Account Name', 'account'],
  owner: ['Opportunity Owner', 'Owner', 'Owner Name', 'Owner Full Name', 'sales_agent', 'OwnerId'],
  product: ['product', 'Product Name'],
  stage: ['Stage', 'StageName', 'deal_stage'],
  isClosed: ['IsClosed', 'Closed'],
  isWon: ['IsWon', 'Won'],
  amount: ['Amount', 'close_value'],
  probability: ['Probability (%)', 'Probability'],
  forecastCategory: ['ForecastCategoryName', 'Forecast Category', 'ForecastCategory'],
  createdDate: ['Created Date', 'CreatedDate', 'engage_date'],
  closeDate: ['Close Date', 'CloseDate', 'close_date'],
  lastActivityDate: ['Last Activity', 'LastActivityDate', 'Last Activity Date'],
  stageEnteredDate: ['LastStageChangeDate', 'Last Stage Change Date', 'Stage Entered Date'],
  nextStep: ['Next Step', 'NextStep'],
  nextStepDate: ['Next Step Date', 'NextStepDate', 'Next_Step_Date__c'],
  contactRoleCount: ['Contact Roles', 'ContactRoleCount', 'Contact Role Count'],
  /** Report exports: days since created (to close, once closed) and days in the current stage. */
  age: ['Age'],
  stageDuration: ['Stage Duration'],
} as const;

export type OpportunityColumn = keyof typeof OPPORTUNITY_COLUMNS;
export type ColumnMap = Partial<Record<OpportunityColumn, string>>;

const REQUIRED: OpportunityColumn[] = ['id', 'stage'];

/** Parses `--map stage=Phase,amount=Deal Value` (pairs separated by commas). */
export function parseColumnMap(spec: string | undefined): ColumnMap {
  if (!spec) return {};
  const map: ColumnMap = {};
  for (const pair of spec.split(',')) {
    if (pair.trim() === '') continue;
    const eq = pair.indexOf('=');
    const field = pair.slice(0, eq).trim();
    const column = pair.slice(eq + 1).trim();
    if (eq <= 0 || column === '') {
      throw new CsvImportError(
        `--map "${pair.trim()}" is not field=Column, e.g. --map stage=Phase,amount=Deal Value`,
      );
    }
    if (!(field in OPPORTUNITY_COLUMNS)) {
      throw new CsvImportError(
        `--map ${field}=${column}: "${field}" is not a field; use one of ${Object.keys(OPPORTUNITY_COLUMNS).join(', ')}`,
      );
    }
    map[field as OpportunityColumn] = column;
  }
  return map;
}

/** Column index per field; fields the file does not carry are absent. */
export type ResolvedColumns = Partial<Record<OpportunityColumn, number>>;

export function resolveOpportunityColumns(
  table: Pick<CsvTable, 'file' | 'header'>,
  map: ColumnMap,
): ResolvedColumns {
  const byName = new Map<string, number>();
  table.header.forEach((name, index) => {
    const key = normalizeColumn(name);
    if (!byName.has(key)) byName.set(key, index);
  });
  const resolved: ResolvedColumns = {};
  for (const field of Object.keys(OPPORTUNITY_COLUMNS) as OpportunityColumn[]) {
    const mapped = map[field];
    if (mapped !== undefined) {
      const index = byName.get(normalizeColumn(mapped));
      if (index === undefined) {
        throw new CsvImportError(
          `--map ${field}=${mapped}: ${table.file} has no column "${mapped}"; its columns are ${table.header.join(', ')}`,
        );
      }
      resolved[field] = index;
      continue;
    }
    for (const alias of OPPORTUNITY_COLUMNS[field]) {
      const index = byName.get(normalizeColumn(alias));
      if (index !== undefined) {
        resolved[field] = index;
        break;
      }
    }
  }
  for (const field of REQUIRED) {
    if (resolved[field] === undefined) {
      throw new CsvImportError(
        `${table.file}: no ${field} column (looked for ${OPPORTUNITY_COLUMNS[field].map((c) => `"${c}"`).join(', ')}): pass --map ${field}=<column>`,
      );
    }
  }
  return resolved;
}
