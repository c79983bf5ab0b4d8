import type { StageRules } from './stages/stage-rules.js';
import type { CompetitorCatalog } from './extraction/competitor-catalog.js';
import type { FieldMapping } from './insights/field-mapping.js';

/** Everything sales ops configure in custom metadata that the decision logic reads. */
export interface OrgRules {
  stageRules: StageRules;
  competitors: CompetitorCatalog;
  fieldMappings: FieldMapping[];
  /** Names our own company and products go by: never a competitor, and their speakers are sellers. */
  sellerNames: string[];
  sellerEmailDomains: string[];
  defaultCurrency: string;
}
