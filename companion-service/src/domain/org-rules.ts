import type { StageRules } from './stages/stage-rules.js';
import type { CompetitorCatalog } from './extraction/competitor-catalog.js';
import type { FieldMapping } from './insights/field-mapping.js';
import type { NextStepPriorityCutoffs } from './settings/next-step-priority.js';
import type { CompetitorEvidenceWeights } from './extraction/embedded/competitor-evidence.js';

/** Everything sales ops configure in custom metadata that the decision logic reads. */
export interface OrgRules {
  stageRules: StageRules;
  competitors: CompetitorCatalog;
  fieldMappings: FieldMapping[];
  /** Names our own company and products go by: never a competitor, and their speakers are sellers. */
  sellerNames: string[];
  /** Lower-cased email domains of our people: the setting's, the org's active users', the command line's. */
  sellerEmailDomains: string[];
  /** Full names of our own people (the org's active users, the command line's `--seller`): never customer contacts. */
  sellerPeople: string[];
  /** Vendors customers use alongside us (Non_Competitors__c): never competitors, never people. */
  nonCompetitors: string[];
  defaultCurrency: string;
  /** Days to a next step's due date that make it High or Medium priority (Scribe_Setting__mdt). */
  nextStepPriority: NextStepPriorityCutoffs;
  /** How much a vendor's competitive frames count (Scribe_Setting__mdt Competitor_*). */
  competitorEvidence: CompetitorEvidenceWeights;
}
