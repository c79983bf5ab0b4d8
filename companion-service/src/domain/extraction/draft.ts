import type {
  AnnualRevenue,
  Budget,
  Competitor,
  ContactDetail,
  DecisionTimeline,
  EmployeeCount,
  Evidence,
  Insights,
  Meddpicc,
  NextStep,
  Stakeholder,
  Statement,
  TechStackItem,
  Timeline,
} from '../insights/schema.js';
import { MEDDPICC_KEYS } from '../insights/schema.js';
import type { FIELD_INSIGHTS } from '../insights/field-mapping.js';

/**
 * What an extractor hands over before the shared finishing steps (grounding, stage rules, field
 * policies). Evidence offsets in a draft are hints only: grounding finds every quote again.
 */
export interface DraftInsights {
  summary: string;
  decisions: Statement[];
  objections: Statement[];
  nextSteps: NextStep[];
  stakeholders: Stakeholder[];
  /** Titles, emails and phones of the customer's people; absent reads as none. */
  contactDetails?: ContactDetail[];
  budget: Budget | null;
  timeline: Timeline | null;
  competitors: Competitor[];
  useCase: Insights['useCase'];
  seatCount: Insights['seatCount'];
  /** Company and deal facts (embedded/company-facts.ts, or the model); absent reads as none. */
  employeeCount?: EmployeeCount | null;
  annualRevenue?: AnnualRevenue | null;
  techStack?: TechStackItem[];
  decisionTimeline?: DecisionTimeline | null;
  meddpicc: Meddpicc;
  /** The extractor's own confidence (0..1) per insight feeding a field; defaults apply when absent. */
  confidence: Partial<Record<(typeof FIELD_INSIGHTS)[number], number>>;
  /** Whether the timeline date is when the customer means to decide or buy (a close date), not a go-live. */
  timelineIsDecision: boolean;
  /** A stage the extractor itself proposes (the LLM does); the stage rules check it. */
  proposedStage: { to: string; reasons: string[]; evidence: Evidence[] } | null;
}

export function emptyMeddpicc(): Meddpicc {
  return Object.fromEntries(MEDDPICC_KEYS.map((k) => [k, []])) as unknown as Meddpicc;
}

export function emptyDraft(): DraftInsights {
  return {
    summary: '',
    decisions: [],
    objections: [],
    nextSteps: [],
    stakeholders: [],
    budget: null,
    timeline: null,
    competitors: [],
    useCase: null,
    seatCount: null,
    meddpicc: emptyMeddpicc(),
    confidence: {},
    timelineIsDecision: false,
    proposedStage: null,
  };
}
