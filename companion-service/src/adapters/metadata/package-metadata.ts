import {
  DEFAULT_PACKAGE_DIR,
  PackageDirError,
  readCustomMetadataRecords,
  type CustomMetadataRecord,
} from '@pipeline-scribe/force-app-model';
import { z } from 'zod';
import {
  buildStageRules,
  StageDefinitionRecordSchema,
  StageRuleError,
} from '../../domain/stages/stage-rules.js';
import {
  buildCompetitorCatalog,
  CompetitorRecordSchema,
} from '../../domain/extraction/competitor-catalog.js';
import { FieldMappingSchema } from '../../domain/insights/field-mapping.js';
import type { OrgRules } from '../../domain/org-rules.js';
import { buildRiskRules, RiskRuleRecordSchema } from '../../domain/risk/risk-rules.js';
import { buildBuyingPhaseRules, BuyingPhaseRecordSchema } from '../../domain/buying-phase/phase-rules.js';
import { parseRequiredFields } from '../../domain/hygiene/stage-requirements.js';
import type { PipelineRules } from '../../domain/hygiene/pipeline-rules.js';
import {
  BULK_FIELDS,
  STAGE_EVIDENCE_FIELDS,
  stageEvidenceFromRecords,
  NEXT_STEP_PRIORITY_FIELDS,
  COMPETITOR_EVIDENCE_FIELDS,
  MEETING_NOTES_FIELDS,
  competitorEvidenceFromRecords,
  nextStepPriorityFromRecords,
  THRESHOLD_FIELDS,
  thresholdsFromRecords,
} from './scribe-settings.js';

/**
 * Turns the package's own custom metadata records (read from force-app by
 * @pipeline-scribe/force-app-model) into the rules the domain runs on, so the service offline and the
 * org online run on the same rules. The write-back reads the same types from the org.
 */

export type PackageRules = OrgRules;

export { DEFAULT_PACKAGE_DIR };

type FieldValue = CustomMetadataRecord['values'][string];
/** A record by its local names; what the org reader gives for the same record has the same shape. */
export type MetadataRecord = Pick<
  CustomMetadataRecord,
  'type' | 'developerName' | 'label' | 'file' | 'values'
>;

export async function readMetadataRecords(packageDir: string): Promise<MetadataRecord[]> {
  try {
    return readCustomMetadataRecords(packageDir);
  } catch (error) {
    if (!(error instanceof PackageDirError)) throw error;
    throw new Error(
      `cannot read custom metadata from ${packageDir}: ${(error.cause as Error).message}; set SCRIBE_PACKAGE_DIR to the force-app folder`,
    );
  }
}

const str = (v: FieldValue | undefined) => (v === null || v === undefined ? '' : String(v));
const lines = (v: FieldValue | undefined) =>
  str(v)
    .split(/\r?\n|,/)
    .map((s) => s.trim())
    .filter(Boolean);

/**
 * Checks a record against its domain schema; a failure names the file, the metadata field (its API
 * name, as sales ops see it in Setup) and the value found there.
 */
function validated<T>(
  schema: z.ZodType<T>,
  raw: unknown,
  record: MetadataRecord,
  fields: Record<string, string>,
): T {
  const result = schema.safeParse(raw);
  if (!result.success) {
    const issue = result.error.issues[0]!;
    const key = String(issue.path[0] ?? '');
    const field = fields[key];
    if (!field) throw new Error(`${record.file}: ${issue.path.join('.') || 'record'}: ${issue.message}`);
    const value = record.values[field];
    const found = value === null || value === undefined ? 'is missing' : `has ${JSON.stringify(value)}`;
    throw new Error(`${record.file}: ${field} ${found}: ${issue.message}`);
  }
  return result.data;
}

const STAGE_FIELDS = {
  stageName: 'Stage_Name__c',
  sortOrder: 'Sort_Order__c',
  defaultProbability: 'Default_Probability__c',
  expectedDays: 'Expected_Days__c',
  isClosed: 'Is_Closed__c',
  isWon: 'Is_Won__c',
  entrySignals: 'Entry_Signals__c',
  exitSignals: 'Exit_Signals__c',
  backwardSignals: 'Backward_Signals__c',
  languageSignals: 'Language_Signals__c',
  description: 'Description__c',
  requiredFields: 'Required_Fields__c',
};
const COMPETITOR_FIELDS = {
  name: 'Competitor_Name__c',
  aliases: 'Aliases__c',
  isActive: 'Is_Active__c',
  matchCase: 'Match_Case__c',
};
const FIELD_POLICY_FIELDS = {
  objectName: 'Object_Name__c',
  fieldName: 'Field_Name__c',
  insight: 'Insight__c',
  mode: 'Mode__c',
  overwritePolicy: 'Overwrite_Policy__c',
  minimumConfidence: 'Minimum_Confidence__c',
  isActive: 'Is_Active__c',
  autoApplyAfterAccepted: 'Auto_Apply_After_Accepted__c',
  minimumAcceptanceRate: 'Minimum_Acceptance_Rate__c',
  demoteAfterRejections: 'Demote_After_Rejections__c',
};

const SETTING_FIELDS = [
  'Seller_Company_Names__c',
  'Seller_Email_Domains__c',
  'Non_Competitors__c',
  'Default_Currency__c',
  'Default_Snooze_Days__c',
  'Quarterly_Quota__c',
  ...Object.values(BULK_FIELDS),
  ...Object.values(THRESHOLD_FIELDS),
  ...Object.values(STAGE_EVIDENCE_FIELDS),
  ...Object.values(NEXT_STEP_PRIORITY_FIELDS),
  ...Object.values(COMPETITOR_EVIDENCE_FIELDS),
  ...Object.values(MEETING_NOTES_FIELDS),
];
const RISK_RULE_FIELDS = {
  signal: 'Signal__c',
  category: 'Category__c',
  threshold: 'Threshold__c',
  thresholdUnit: 'Threshold_Unit__c',
  weight: 'Weight__c',
  isEnabled: 'Is_Enabled__c',
  recommendedAction: 'Recommended_Action__c',
  description: 'Description__c',
};
export const BUYING_PHASE_FIELDS = {
  phase: 'Decision_Phase__c',
  sortOrder: 'Sort_Order__c',
  engagementSignals: 'Engagement_Signals__c',
  isActive: 'Is_Active__c',
};

/**
 * The custom metadata fields each rule type is read with, by type (without `__mdt`): what the org
 * reader selects, so both sources give rulesFromRecords the same values.
 */
export const RULE_FIELDS: Record<string, string[]> = {
  Stage_Definition: Object.values(STAGE_FIELDS),
  Field_Policy: Object.values(FIELD_POLICY_FIELDS),
  Competitor: Object.values(COMPETITOR_FIELDS),
  Scribe_Setting: SETTING_FIELDS,
  Risk_Rule: Object.values(RISK_RULE_FIELDS),
};

/** Signal errors name the record ("Stage_Definition__mdt.Qualification..."); add the file it lives in. */
function withStageFile<T>(records: MetadataRecord[], build: () => T, type = 'Stage_Definition'): T {
  try {
    return build();
  } catch (error) {
    if (!(error instanceof StageRuleError)) throw error;
    const record = records.find((r) => error.message.startsWith(`${type}__mdt.${r.developerName}.`));
    throw record ? new StageRuleError(`${record.file}: ${error.message}`) : error;
  }
}

export function rulesFromRecords(records: MetadataRecord[]): PackageRules {
  const of = (type: string) => records.filter((r) => r.type === type);
  const stageRecords = of('Stage_Definition').map((r) =>
    validated(
      StageDefinitionRecordSchema,
      {
        developerName: r.developerName,
        stageName: str(r.values.Stage_Name__c),
        sortOrder: Number(r.values.Sort_Order__c ?? NaN),
        defaultProbability: Number(r.values.Default_Probability__c ?? 0),
        expectedDays: Number(r.values.Expected_Days__c ?? 0),
        isClosed: r.values.Is_Closed__c === true,
        isWon: r.values.Is_Won__c === true,
        entrySignals: str(r.values.Entry_Signals__c),
        exitSignals: str(r.values.Exit_Signals__c),
        backwardSignals: str(r.values.Backward_Signals__c),
        languageSignals: str(r.values.Language_Signals__c),
        description: str(r.values.Description__c),
      },
      r,
      STAGE_FIELDS,
    ),
  );
  const competitorRecords = of('Competitor').map((r) =>
    validated(
      CompetitorRecordSchema,
      {
        developerName: r.developerName,
        name: str(r.values.Competitor_Name__c),
        aliases: lines(r.values.Aliases__c),
        isActive: r.values.Is_Active__c !== false,
        matchCase: r.values.Match_Case__c === true,
      },
      r,
      COMPETITOR_FIELDS,
    ),
  );
  const fieldMappings = of('Field_Policy')
    .map((r) =>
      validated(
        FieldMappingSchema,
        {
          developerName: r.developerName,
          objectName: str(r.values.Object_Name__c),
          fieldName: str(r.values.Field_Name__c),
          insight: str(r.values.Insight__c),
          mode: str(r.values.Mode__c) || 'Suggest',
          overwritePolicy: str(r.values.Overwrite_Policy__c) || 'If empty',
          minimumConfidence: r.values.Minimum_Confidence__c,
          isActive: r.values.Is_Active__c !== false,
          autoApplyAfterAccepted: r.values.Auto_Apply_After_Accepted__c ?? null,
          minimumAcceptanceRate: r.values.Minimum_Acceptance_Rate__c ?? null,
          demoteAfterRejections: r.values.Demote_After_Rejections__c ?? null,
        },
        r,
        FIELD_POLICY_FIELDS,
      ),
    )
    .filter((m) => m.isActive);
  const settings = of('Scribe_Setting').find((r) => r.developerName === 'Default');
  return {
    stageRules: withStageFile(of('Stage_Definition'), () =>
      buildStageRules(stageRecords, stageEvidenceFromRecords(records)),
    ),
    competitors: buildCompetitorCatalog(competitorRecords),
    fieldMappings,
    sellerNames: lines(settings?.values.Seller_Company_Names__c),
    sellerEmailDomains: lines(settings?.values.Seller_Email_Domains__c).map((d) => d.toLowerCase()),
    // The people come from the org's users (adapters/salesforce/org-rules.ts), not from metadata.
    sellerPeople: [],
    nonCompetitors: lines(settings?.values.Non_Competitors__c),
    defaultCurrency: str(settings?.values.Default_Currency__c).toUpperCase() || 'USD',
    nextStepPriority: nextStepPriorityFromRecords(records),
    competitorEvidence: competitorEvidenceFromRecords(records),
  };
}

/** The rules the hygiene, risk, buying-phase and action engines read, from the same records. */
export function pipelineRulesFromRecords(records: MetadataRecord[]): PipelineRules {
  const of = (type: string) => records.filter((r) => r.type === type);
  const stageRules = rulesFromRecords(records).stageRules;
  const requiredFields = new Map(
    of('Stage_Definition').map((r) => [
      str(r.values.Stage_Name__c).toLowerCase(),
      parseRequiredFields(str(r.values.Required_Fields__c), `${r.file}: Required_Fields__c`),
    ]),
  );
  const risk = buildRiskRules(
    of('Risk_Rule').map((r) =>
      validated(
        RiskRuleRecordSchema,
        {
          developerName: r.developerName,
          label: r.label,
          signal: str(r.values.Signal__c),
          category: str(r.values.Category__c) || 'Risk',
          threshold: r.values.Threshold__c,
          thresholdUnit: str(r.values.Threshold_Unit__c) || 'Count',
          weight: r.values.Weight__c,
          isEnabled: r.values.Is_Enabled__c !== false,
          recommendedAction: str(r.values.Recommended_Action__c) || 'Follow Up',
          description: str(r.values.Description__c),
        },
        r,
        RISK_RULE_FIELDS,
      ),
    ),
  );
  const phases = withStageFile(
    of('Buying_Phase_Rule'),
    () =>
      buildBuyingPhaseRules(
        of('Buying_Phase_Rule').map((r) =>
          validated(
            BuyingPhaseRecordSchema,
            {
              developerName: r.developerName,
              phase: str(r.values.Decision_Phase__c),
              sortOrder: Number(r.values.Sort_Order__c ?? NaN),
              engagementSignals: str(r.values.Engagement_Signals__c),
              isActive: r.values.Is_Active__c !== false,
            },
            r,
            BUYING_PHASE_FIELDS,
          ),
        ),
      ),
    'Buying_Phase_Rule',
  );
  return {
    stages: stageRules.stages,
    requiredFields,
    risk,
    phases,
    thresholds: thresholdsFromRecords(records),
  };
}

export async function loadPipelineRules(packageDir = process.env.SCRIBE_PACKAGE_DIR ?? DEFAULT_PACKAGE_DIR) {
  return pipelineRulesFromRecords(await readMetadataRecords(packageDir));
}

export async function loadPackageRules(packageDir = process.env.SCRIBE_PACKAGE_DIR ?? DEFAULT_PACKAGE_DIR) {
  return rulesFromRecords(await readMetadataRecords(packageDir));
}
