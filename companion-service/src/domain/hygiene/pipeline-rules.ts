import type { OpportunityField } from '../pipeline/records.js';
import type { StageDefinition } from '../stages/stage-rules.js';
import type { BuyingPhaseRule } from '../buying-phase/phase-rules.js';
import type { RiskRules } from '../risk/risk-rules.js';
import type { PipelineThresholds } from '../settings/pipeline-thresholds.js';

/** Everything the hygiene, risk, phase and action engines read from custom metadata. */
export interface PipelineRules {
  /** Stage_Definition__mdt, ordered by sort order. */
  stages: readonly StageDefinition[];
  /** Stage_Definition__mdt.Required_Fields__c by lower-cased stage name. */
  requiredFields: ReadonlyMap<string, readonly OpportunityField[]>;
  risk: RiskRules;
  phases: readonly BuyingPhaseRule[];
  /** Scribe_Setting__mdt.Default: cut-offs, windows and bands. */
  thresholds: PipelineThresholds;
}

export function stageByName(rules: PipelineRules): Map<string, StageDefinition> {
  return new Map(rules.stages.map((s) => [s.stageName.toLowerCase(), s]));
}
