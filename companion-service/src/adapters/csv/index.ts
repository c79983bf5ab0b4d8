/** Reading pipeline exports (maven-crm, Salesforce data and report exports) into a PipelineDataset. */
export { readOpportunities, readHistory, parseCsv } from './read-pipeline-csv.js';
export { fromRows, type OpportunityImportOptions } from './opportunity-rows.js';
export { historyFromRows } from './history-rows.js';
export { parseColumnMap, OPPORTUNITY_COLUMNS, type ColumnMap } from './opportunity-columns.js';
export { CsvImportError } from './csv-table.js';
export { readPipelineColumns, streamHistory } from './read-pipeline-columns.js';
