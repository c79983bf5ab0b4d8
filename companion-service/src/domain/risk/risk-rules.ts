import { z } from 'zod';

/**
 * The risk rules as sales ops keep them in Risk_Rule__mdt: which signal, past which threshold, weighs
 * how much, and what the rep is asked to do. Hygiene flags and the risk score read the same records,
 * so turning a rule off in Setup removes both its flag and its points.
 */

/** The signals the engines compute; Risk_Rule__mdt.Signal__c and Opportunity.Hygiene_Flags__c hold the same list. */
export const RISK_SIGNALS = [
  'Stale',
  'Close_Date_Passed',
  'Close_Date_Slipped',
  'Zombie',
  'Stuck_In_Stage',
  'Skipped_Stage',
  'No_Next_Step',
  'Single_Threaded',
  'Missing_Fields',
  'Competitor_Present',
  'Pricing_Objection',
  'Champion_Silent',
] as const;
export type RiskSignal = (typeof RISK_SIGNALS)[number];

export const RECOMMENDED_ACTIONS = [
  'Re-engage',
  'Update Close Date',
  'Add Contact',
  'Add Next Step',
  'Close Out',
  'Escalate',
  'Follow Up',
  'Review Suggestions',
] as const;
export type RecommendedAction = (typeof RECOMMENDED_ACTIONS)[number];

export const RiskRuleRecordSchema = z.object({
  developerName: z.string().min(1),
  label: z.string(),
  signal: z.enum(RISK_SIGNALS, {
    error: `Signal__c must be one of ${RISK_SIGNALS.join(', ')}`,
  }),
  category: z.enum(['Hygiene', 'Risk']),
  threshold: z.number().nonnegative(),
  thresholdUnit: z.enum(['Days', 'Count', 'Multiple']),
  weight: z.number().min(0).max(100),
  isEnabled: z.boolean(),
  recommendedAction: z.enum(RECOMMENDED_ACTIONS, {
    error: `Recommended_Action__c must be one of ${RECOMMENDED_ACTIONS.join(', ')}`,
  }),
  description: z.string(),
});
export type RiskRule = z.infer<typeof RiskRuleRecordSchema>;

export interface RiskRules {
  /** Enabled rules by signal; a signal without a rule here is neither flagged nor scored. */
  bySignal: ReadonlyMap<RiskSignal, RiskRule>;
  /** Signals sales ops turned off or never configured, so the audit can say what it did not check. */
  notChecked: readonly RiskSignal[];
}

export class RiskRuleError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RiskRuleError';
  }
}

export function buildRiskRules(records: readonly RiskRule[]): RiskRules {
  const bySignal = new Map<RiskSignal, RiskRule>();
  const seen = new Map<RiskSignal, string>();
  for (const record of records) {
    const other = seen.get(record.signal);
    if (other) {
      throw new RiskRuleError(
        `Risk_Rule__mdt.${record.developerName} and Risk_Rule__mdt.${other} both define the signal ${record.signal}; disable or delete one`,
      );
    }
    seen.set(record.signal, record.developerName);
    if (record.isEnabled) bySignal.set(record.signal, record);
  }
  return { bySignal, notChecked: RISK_SIGNALS.filter((s) => !bySignal.has(s)) };
}
