import { z } from 'zod';
import type { Evidence } from '../../domain/insights/schema.js';
import {
  buildInsightsSchemas,
  NextStepPrioritySchema,
  QuoteOnlyEvidenceSchema,
  type NextStepPriority,
} from '../../domain/insights/schema.js';
import type { DraftInsights } from '../../domain/extraction/draft.js';

/**
 * What the model is asked to return: the insights contract with quote-only evidence (models count
 * characters badly, so offsets are ours to find), plus the model's own stage proposal. Every
 * property is required and absence is `null`, as OpenAI's strict structured outputs demand.
 */
const parts = buildInsightsSchemas(QuoteOnlyEvidenceSchema);
/** A model may leave a step's priority null; the same rule the embedded extractor runs then decides it. */
const nextStep = parts.nextStep.extend({
  priority: NextStepPrioritySchema.nullable().describe(
    'high when called urgent or due soon, low when said to be no rush or due far off; one level higher when the deal waits on it; null when unsure',
  ),
});

export const LlmOutputSchema = z.object({
  summary: z
    .string()
    .describe('Two or three factual sentences about this conversation and what it means for the deal'),
  decisions: z.array(parts.statement),
  objections: z.array(parts.statement),
  nextSteps: z.array(nextStep),
  stakeholders: z.array(parts.stakeholder),
  contactDetails: z
    .array(parts.contactDetail)
    .describe("New titles, email addresses and phone numbers of the customer's people"),
  // Strict structured outputs want every property required: the range is asked for always, null when none.
  budget: parts.budget.extend({ range: parts.budgetRange.nullable() }).nullable(),
  timeline: parts.timeline.nullable(),
  timelineIsDecision: z
    .boolean()
    .describe(
      'True when the timeline date is when the customer means to decide, sign or buy; false for a go-live or other date',
    ),
  competitors: z.array(parts.competitor),
  useCase: parts.useCase.nullable(),
  seatCount: parts.seatCount.nullable(),
  employeeCount: parts.employeeCount.nullable(),
  annualRevenue: parts.annualRevenue.nullable(),
  techStack: z.array(parts.techStackItem),
  decisionTimeline: parts.decisionTimeline.nullable(),
  meddpicc: parts.meddpicc,
  proposedStage: z
    .object({
      to: z.string().min(1).describe('One of the stage names listed in the instructions, spelled exactly'),
      reasons: z.array(z.string()),
      evidence: z.array(QuoteOnlyEvidenceSchema),
    })
    .nullable(),
});
export type LlmOutput = z.infer<typeof LlmOutputSchema>;

/**
 * How sure a model's contact detail is: it is held to its quote word for word afterwards, so what
 * is left is as sure as the embedded extractor's named mentions.
 */
const MODEL_CONTACT_CONFIDENCE = 0.85;

/** Offsets are placeholders: grounding finds every quote in the source and sets them. */
function located(evidence: { quote: string }): Evidence {
  return { quote: evidence.quote, start: 0, end: 0 };
}

function withEvidence<T extends { evidence: { quote: string } }>(
  item: T,
): Omit<T, 'evidence'> & { evidence: Evidence } {
  return { ...item, evidence: located(item.evidence) };
}

/** What decides a step's priority when the model left it null: the shared rule, with the org's cut-offs. */
export type PriorityRule = (step: { said: string; due: string | null }) => NextStepPriority;

export function toDraft(output: LlmOutput, priorityOf: PriorityRule, extractor = 'llm'): DraftInsights {
  const maybe = <T extends { evidence: { quote: string } }>(item: T | null) =>
    item ? withEvidence(item) : null;
  const meddpicc = Object.fromEntries(
    Object.entries(output.meddpicc).map(([key, items]) => [key, items.map(withEvidence)]),
  ) as DraftInsights['meddpicc'];
  return {
    summary: output.summary,
    decisions: output.decisions.map(withEvidence),
    objections: output.objections.map(withEvidence),
    nextSteps: output.nextSteps.map((step) =>
      withEvidence({
        ...step,
        priority: step.priority ?? priorityOf({ said: step.evidence.quote, due: step.dueDate }),
      }),
    ),
    stakeholders: output.stakeholders.map(withEvidence),
    contactDetails: output.contactDetails.map((d) => ({
      ...withEvidence(d),
      confidence: MODEL_CONTACT_CONFIDENCE,
      extractor,
    })),
    budget: output.budget
      ? {
          ...withEvidence(output.budget),
          range: output.budget.range
            ? { low: withEvidence(output.budget.range.low), high: withEvidence(output.budget.range.high) }
            : null,
        }
      : null,
    timeline: maybe(output.timeline),
    competitors: output.competitors.map(withEvidence),
    useCase: maybe(output.useCase),
    seatCount: maybe(output.seatCount),
    employeeCount: maybe(output.employeeCount),
    annualRevenue: maybe(output.annualRevenue),
    techStack: output.techStack.map(withEvidence),
    decisionTimeline: maybe(output.decisionTimeline),
    meddpicc,
    // Beyond the company and deal facts (which carry the model's own), the field policies' defaults apply.
    confidence: {},
    timelineIsDecision: output.timeline ? output.timelineIsDecision : false,
    proposedStage: output.proposedStage
      ? { ...output.proposedStage, evidence: output.proposedStage.evidence.map(located) }
      : null,
  };
}

/**
 * Strict structured outputs accept only a subset of JSON Schema, and which validation keywords are
 * in it differs between OpenAI's models over time and between compatible servers; an endpoint that
 * rejects one fails every request. So the schema sent keeps only structure (types, enums, required,
 * nullability) and descriptions, a pattern becoming a description the model can read. Nothing is
 * lost: the zod schema still validates every answer in full.
 */
const VALIDATION_KEYWORDS = [
  'minLength',
  'maxLength',
  'pattern',
  'format',
  'minimum',
  'maximum',
  'exclusiveMinimum',
  'exclusiveMaximum',
  'multipleOf',
  'minItems',
  'maxItems',
] as const;

type JsonSchemaNode = Record<string, unknown>;

export function toPortableSchema(node: JsonSchemaNode): void {
  if (typeof node.pattern === 'string' && typeof node.description !== 'string') {
    node.description = `Matches the regular expression ${node.pattern}`;
  }
  for (const keyword of VALIDATION_KEYWORDS) delete node[keyword];
  const children: unknown[] = [
    node.items,
    ...asArray(node.anyOf),
    ...asArray(node.allOf),
    ...asArray(node.oneOf),
  ];
  for (const map of [node.properties, node.$defs, node.definitions]) {
    if (map && typeof map === 'object') children.push(...Object.values(map));
  }
  for (const child of children)
    if (child && typeof child === 'object') toPortableSchema(child as JsonSchemaNode);
}

function asArray(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}
