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

/**
 * What a conversation may say about one of the customer's people that their contact record holds:
 * a new title ("Maria is now VP of Operations"), an email address, an office phone, a mobile.
 */
export const CONTACT_DETAIL_KINDS = ['title', 'email', 'phone', 'mobile'] as const;
export const ContactDetailKindSchema = z.enum(CONTACT_DETAIL_KINDS);
export type ContactDetailKind = z.infer<typeof ContactDetailKindSchema>;

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
  const contactDetail = z.object({
    person: z
      .string()
      .min(1)
      .describe("The customer's person it belongs to, by full name as the conversation gives it"),
    kind: ContactDetailKindSchema,
    value: z
      .string()
      .min(1)
      .max(255)
      .describe('The title, email address or phone number exactly as written in the quote'),
    evidence,
  });
  // Each end of a range keeps its own quote: "between 50 and 70k" and "we could go to 80 at most" may
  // be said apart, and each end is held to the words that state it.
  const rangeEnd = z.object({ amount: z.number().positive(), evidence });
  const budgetRange = z
    .object({ low: rangeEnd, high: rangeEnd })
    .describe('Set when the customer states a range ("between 50 and 70k"): both ends, each with its quote');
  const budget = z.object({
    amount: z
      .number()
      .positive()
      .describe('What the customer commits to or accepts; for a range, its ceiling (the high end)'),
    currency: z.string().regex(/^[A-Z]{3}$/, 'expected an ISO 4217 code such as USD'),
    evidence,
    /** Absent in results stored before ranges were kept; the LLM is always asked for it (null when none). */
    range: budgetRange.nullable().optional(),
  });
  const timeline = z.object({ date: isoDate.nullable(), text: z.string().min(1), evidence });
  const competitor = z.object({ name: z.string().min(1), context: z.string().min(1), evidence });
  const useCase = z.object({ text: z.string().min(1), evidence });
  const seatCount = z.object({ count: z.number().int().positive(), evidence });
  // Company and deal facts: each carries the extractor's own confidence in it, which the field
  // policies' floors are held against.
  const confidence = z.number().min(0).max(1).describe('How sure the reading is, 0..1');
  const employeeCount = z.object({
    count: z.number().int().positive().describe('People the whole customer company employs, not one team'),
    confidence,
    evidence,
  });
  const annualRevenue = z.object({
    amount: z.number().positive().describe("The customer company's yearly revenue, not a budget"),
    currency: z.string().regex(/^[A-Z]{3}$/, 'expected an ISO 4217 code such as USD'),
    confidence,
    evidence,
  });
  const techStackItem = z.object({
    name: z
      .string()
      .min(1)
      .describe('A system the customer runs (CRM, ERP, warehouse...), never a competitor'),
    confidence,
    evidence,
  });
  const decisionTimeline = z.object({
    date: isoDate.nullable().describe('When the customer decides, resolved to a day; null when not stated'),
    text: z.string().min(1).describe('The words that say when, as spoken ("by the end of Q2")'),
    confidence,
    evidence,
  });
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
    contactDetail,
    budget,
    budgetRange,
    timeline,
    competitor,
    useCase,
    seatCount,
    employeeCount,
    annualRevenue,
    techStackItem,
    decisionTimeline,
    meddpicc,
    stageSuggestion,
    fieldUpdate,
  };
}

const parts = buildInsightsSchemas(EvidenceSchema);

export const StatementSchema = parts.statement;
export const NextStepSchema = parts.nextStep;
export const StakeholderSchema = parts.stakeholder;
/** A contact detail as published: who found it and how sure it is, beside the value and its quote. */
export const ContactDetailSchema = parts.contactDetail.extend({
  confidence: z.number().min(0).max(1),
  extractor: z.string().min(1),
});
export const BudgetSchema = parts.budget;
export const BudgetRangeSchema = parts.budgetRange;
export const TimelineSchema = parts.timeline;
export const CompetitorSchema = parts.competitor;
export const MeddpiccSchema = parts.meddpicc;
export const StageSuggestionSchema = parts.stageSuggestion;
export const FieldUpdateSchema = parts.fieldUpdate;
export const EmployeeCountSchema = parts.employeeCount;
export const AnnualRevenueSchema = parts.annualRevenue;
export const TechStackItemSchema = parts.techStackItem;
export const DecisionTimelineSchema = parts.decisionTimeline;

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
  /**
   * Titles, emails and phones of the customer's people, each on the person it belongs to.
   * Optional only so results stored before it existed still read.
   */
  contactDetails: z.array(ContactDetailSchema).optional(),
  budget: parts.budget.nullable(),
  timeline: parts.timeline.nullable(),
  competitors: z.array(parts.competitor),
  useCase: parts.useCase.nullable(),
  seatCount: parts.seatCount.nullable(),
  // Company and deal facts: optional only so results stored before they existed still read.
  employeeCount: parts.employeeCount.nullable().optional(),
  annualRevenue: parts.annualRevenue.nullable().optional(),
  techStack: z.array(parts.techStackItem).optional(),
  decisionTimeline: parts.decisionTimeline.nullable().optional(),
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
export type ContactDetail = z.infer<typeof ContactDetailSchema>;
export type Budget = z.infer<typeof BudgetSchema>;
export type BudgetRange = z.infer<typeof BudgetRangeSchema>;
export type Timeline = z.infer<typeof TimelineSchema>;
export type Competitor = z.infer<typeof CompetitorSchema>;
export type Meddpicc = z.infer<typeof MeddpiccSchema>;
export type StageSuggestion = z.infer<typeof StageSuggestionSchema>;
export type FieldUpdate = z.infer<typeof FieldUpdateSchema>;
export type EmployeeCount = z.infer<typeof EmployeeCountSchema>;
export type AnnualRevenue = z.infer<typeof AnnualRevenueSchema>;
export type TechStackItem = z.infer<typeof TechStackItemSchema>;
export type DecisionTimeline = z.infer<typeof DecisionTimelineSchema>;
export type Insights = z.infer<typeof InsightsSchema>;
