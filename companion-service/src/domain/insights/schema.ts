import { z } from 'zod';

/**
 * The insights contract: what one conversation yields. Every extractor's output, the CLI's JSON and
 * the write-back all derive their types from these schemas, so a field added here reaches them all.
 *
 * The schema is built from an evidence schema so that the LLM can be asked for quotes only
 * (offsets are ours to compute, models count characters badly) while the published shape carries
 * offsets into the normalized source.
 */

const isoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'expected a date as YYYY-MM-DD')
  .refine(
    (v) => !Number.isNaN(Date.parse(v)) && new Date(v).toISOString().startsWith(v),
    'not a calendar date',
  );

export const EvidenceSchema = z.object({
  quote: z.string().min(1).describe('Exact words from the conversation, copied verbatim'),
  start: z.number().int().nonnegative().describe('Offset of the first character in the normalized source'),
  end: z.number().int().nonnegative().describe('Offset one past the last character'),
});
export type Evidence = z.infer<typeof EvidenceSchema>;

export const QuoteOnlyEvidenceSchema = z.object({
  quote: z
    .string()
    .min(1)
    .describe('Exact words from the conversation, copied verbatim, one sentence or less'),
});

export const STAKEHOLDER_ROLES = [
  'champion',
  'economic_buyer',
  'decision_maker',
  'technical_evaluator',
  'influencer',
  'blocker',
  'user',
  'procurement_legal',
] as const;
export const StakeholderRoleSchema = z.enum(STAKEHOLDER_ROLES);
export type StakeholderRole = z.infer<typeof StakeholderRoleSchema>;

export const AffiliationSchema = z.enum(['customer', 'seller']);
export type Affiliation = z.infer<typeof AffiliationSchema>;

export const StageDirectionSchema = z.enum(['forward', 'backward', 'none']);
export type StageDirection = z.infer<typeof StageDirectionSchema>;

export const MEDDPICC_KEYS = [
  'metrics',
  'economicBuyer',
  'decisionCriteria',
  'decisionProcess',
  'paperProcess',
  'identifiedPain',
  'champion',
  'competition',
] as const;
export type MeddpiccKey = (typeof MEDDPICC_KEYS)[number];

export const SOURCE_FORMATS = ['notes', 'transcript', 'email', 'gong'] as const;
export const SourceFormatSchema = z.enum(SOURCE_FORMATS);
export type SourceFormat = z.infer<typeof SourceFormatSchema>;

/** How soon a next step needs doing; the Task written for it is High, Normal or Low. */
export const NEXT_STEP_PRIORITIES = ['high', 'medium', 'low'] as const;
export const NextStepPrioritySchema = z.enum(NEXT_STEP_PRIORITIES);
export type NextStepPriority = z.infer<typeof NextStepPrioritySchema>;

export function buildInsightsSchemas<E extends z.ZodTypeAny>(evidence: E) {
  const statement = z.object({ text: z.string().min(1), evidence });
  const nextStep = z.object({
    text: z.string().min(1),
    owner: z.string().nullable().describe('Who committed to it, by name as spoken; null when nobody did'),
    dueDate: isoDate.nullable(),
    priority: NextStepPrioritySchema.describe(
      'high when called urgent or due soon, low when said to be no rush or due far off; one level higher when the deal waits on it',
    ),
    evidence,
  });
  const stakeholder = z.object({
    name: z.string().min(1),
    title: z.string().nullable(),
    role: StakeholderRoleSchema.nullable(),
    affiliation: AffiliationSchema,
    evidence,
  });
  const budget = z.object({
    amount: z.number().positive(),
    currency: z.string().regex(/^[A-Z]{3}$/, 'expected an ISO 4217 code such as USD'),
    evidence,
  });
  const timeline = z.object({ date: isoDate.nullable(), text: z.string().min(1), evidence });
  const competitor = z.object({ name: z.string().min(1), context: z.string().min(1), evidence });
  const useCase = z.object({ text: z.string().min(1), evidence });
  const seatCount = z.object({ count: z.number().int().positive(), evidence });
  const meddpicc = z.object(
    Object.fromEntries(MEDDPICC_KEYS.map((key) => [key, z.array(statement)])) as Record<
      MeddpiccKey,
      z.ZodArray<typeof statement>
    >,
  );
  const stageSuggestion = z.object({
    from: z.string().nullable(),
    to: z.string().nullable(),
    direction: StageDirectionSchema,
    reasons: z.array(z.string()),
    evidence: z.array(evidence).describe('The quotes the move rests on, strongest first'),
  });
  const fieldUpdate = z.object({
    object: z.string().min(1),
    field: z.string().min(1),
    value: z.union([z.string(), z.number(), z.boolean()]),
    confidence: z.number().min(0).max(1),
    evidence,
  });
  return {
    statement,
    nextStep,
    stakeholder,
    budget,
    timeline,
    competitor,
    useCase,
    seatCount,
    meddpicc,
    stageSuggestion,
    fieldUpdate,
  };
}

const parts = buildInsightsSchemas(EvidenceSchema);

export const StatementSchema = parts.statement;
export const NextStepSchema = parts.nextStep;
export const StakeholderSchema = parts.stakeholder;
export const BudgetSchema = parts.budget;
export const TimelineSchema = parts.timeline;
export const CompetitorSchema = parts.competitor;
export const MeddpiccSchema = parts.meddpicc;
export const StageSuggestionSchema = parts.stageSuggestion;
export const FieldUpdateSchema = parts.fieldUpdate;

/**
 * A value an extractor proposed that its quote does not bear out, kept out of every suggestion and
 * write: which insight (`nextSteps`, `budget`, `stakeholders.title`...), the value, its quote, and why.
 */
export const DroppedValueSchema = z.object({
  insight: z.string(),
  value: z.string(),
  quote: z.string(),
  reason: z.string(),
});
export type DroppedValue = z.infer<typeof DroppedValueSchema>;

export const InsightsSchema = z.object({
  summary: z.string(),
  decisions: z.array(parts.statement),
  objections: z.array(parts.statement),
  nextSteps: z.array(parts.nextStep),
  stakeholders: z.array(parts.stakeholder),
  budget: parts.budget.nullable(),
  timeline: parts.timeline.nullable(),
  competitors: z.array(parts.competitor),
  useCase: parts.useCase.nullable(),
  seatCount: parts.seatCount.nullable(),
  meddpicc: parts.meddpicc,
  stageSuggestion: parts.stageSuggestion.nullable(),
  fieldUpdates: z.array(parts.fieldUpdate),
  /** What was held back because its quote does not support it; never written. */
  dropped: z.array(DroppedValueSchema),
  /**
   * The conversation's language, BCP 47 ("en", "zh", "es"; "und" when too little text to tell).
   * Optional only so results stored before it existed still read.
   */
  language: z.string().min(2).optional(),
  /** What the reader should know about how the input was read and what the extractor could not read. */
  warnings: z.array(z.string()).optional(),
  source: z.object({
    format: SourceFormatSchema,
    meetingDate: isoDate.nullable(),
    characters: z.number().int().nonnegative(),
    extractor: z.string(),
    extractorVersion: z.string(),
  }),
});

export type Statement = z.infer<typeof StatementSchema>;
export type NextStep = z.infer<typeof NextStepSchema>;
export type Stakeholder = z.infer<typeof StakeholderSchema>;
export type Budget = z.infer<typeof BudgetSchema>;
export type Timeline = z.infer<typeof TimelineSchema>;
export type Competitor = z.infer<typeof CompetitorSchema>;
export type Meddpicc = z.infer<typeof MeddpiccSchema>;
export type StageSuggestion = z.infer<typeof StageSuggestionSchema>;
export type FieldUpdate = z.infer<typeof FieldUpdateSchema>;
export type Insights = z.infer<typeof InsightsSchema>;
