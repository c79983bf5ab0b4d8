import type { NextStepPriority } from '../insights/schema.js';
import type { NextStepPriorityCutoffs } from '../settings/next-step-priority.js';

/**
 * How soon a next step needs doing, judged the same way for both extractors: what was said about
 * its urgency first, then how close its due date is to the meeting (the cut-offs sales ops set in
 * Scribe_Setting__mdt), raised one level when the deal waits on it. The LLM is told this rule in
 * words (`describePriorityRule`), the embedded extractor runs it (`prioritizeNextStep`).
 */

/** Said to be urgent: whatever its date, it comes first. */
const URGENT =
  /\b(?:urgent(?:ly)?|asap|a\.s\.a\.p\.?|as soon as (?:possible|you can)|right away|immediately|top priority|high priority|priority one|critical|time[- ]sensitive|first thing|hard deadline|can't slip|cannot slip|no later than|EOD|end of (?:the )?day|COB|close of business)\b/i;
/** Said to be able to wait. */
const NO_RUSH =
  /\b(?:no rush|no hurry|no urgency|not urgent|low priority|whenever (?:you|they|we) (?:can|get)|when(?:ever)? (?:you|they|we) get a chance|at (?:your|their|our) (?:leisure|convenience)|nice to have|no (?:real )?deadline|eventually|at some point)\b/i;
/**
 * What the deal cannot close without: the paperwork and reviews of the paper process, or a step
 * said to hold it up.
 */
const BLOCKS_DEAL =
  /\b(?:contract|MSA|master (?:services|subscription) agreement|order form|signature|sign(?:ed|s|ing)?|countersign\w*|PO|purchase order|redlines?|security (?:review|questionnaire|assessment)|legal (?:review|approval|sign-?off)|procurement|DPA|data processing agreement|SOW|statement of work|vendor (?:onboarding|registration|setup|form)|sign-?off|approv(?:e|al)|before (?:we|you|they) can (?:sign|buy|close|move forward|proceed)|blocking|blocks? (?:the|this|us)|holding (?:it|this|us|things) up|waiting on)\b/i;

const LEVELS: readonly NextStepPriority[] = ['low', 'medium', 'high'];

function daysBetween(from: string, to: string): number {
  const day = (iso: string) => {
    const [y, m, d] = iso.split('-').map(Number) as [number, number, number];
    return Date.UTC(y, m - 1, d) / 86_400_000;
  };
  return day(to) - day(from);
}

export interface PriorityInput {
  /** The step's own words (its quote), where urgency and what the deal waits on are said. */
  said: string;
  /** The date it is due or expected, a day or the start of a span ("next quarter"); null when none was said. */
  due: string | null;
  meetingDate: string;
  cutoffs: NextStepPriorityCutoffs;
}

export function prioritizeNextStep({ said, due, meetingDate, cutoffs }: PriorityInput): NextStepPriority {
  if (URGENT.test(said)) return 'high';
  if (NO_RUSH.test(said)) return 'low';
  let level: NextStepPriority = 'medium';
  if (due !== null) {
    const until = daysBetween(meetingDate, due);
    if (until <= cutoffs.highWithinDays) level = 'high';
    else if (until <= cutoffs.mediumWithinDays) level = 'medium';
    else level = 'low';
  }
  // "Schedule the kickoff once the PO lands" waits on the PO; it is not what the deal waits on.
  const itself = said.replace(/\b(?:once|after|when|until)\b.*$/i, '');
  if (!BLOCKS_DEAL.test(itself)) return level;
  return LEVELS[Math.min(LEVELS.indexOf(level) + 1, LEVELS.length - 1)]!;
}

/** The same rule in words, for the LLM's instructions. */
export function describePriorityRule(cutoffs: NextStepPriorityCutoffs): string {
  return [
    'priority is "high" when someone calls the step urgent (ASAP, right away, end of day, top priority);',
    '"low" when it is said to be no rush or can wait;',
    `otherwise from its due date counted from the meeting date: within ${cutoffs.highWithinDays} days "high",`,
    `within ${cutoffs.mediumWithinDays} days "medium", later "low", and "medium" when no date was given;`,
    'then one level higher (never above "high") when the deal waits on it: a contract, order form,',
    'signature, purchase order, security or legal review, procurement, an approval.',
  ].join(' ');
}
