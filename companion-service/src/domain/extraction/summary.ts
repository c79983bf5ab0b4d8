import type { StageSuggestion } from '../insights/schema.js';
import { budgetText } from '../notes/notes-text.js';
import type { Conversation } from '../source/conversation.js';
import type { DraftInsights } from './draft.js';

/**
 * A two-to-three sentence summary built only from what was extracted, so it can say nothing the
 * evidence does not: who spoke, about what, and what it means for the deal.
 */
const FORMAT_NOUN = { notes: 'Notes', transcript: 'Conversation', email: 'Email', gong: 'Call' } as const;

function list(items: string[], max = 3): string {
  const shown = items.slice(0, max);
  const rest = items.length - shown.length;
  const head =
    shown.length <= 1 ? shown.join('') : `${shown.slice(0, -1).join(', ')} and ${shown[shown.length - 1]}`;
  return rest > 0 ? `${shown.join(', ')} and ${rest} more` : head;
}

export function summarize(
  conversation: Conversation,
  d: DraftInsights,
  stage: StageSuggestion | null,
): string {
  const sentences: string[] = [];
  const customers = d.stakeholders.filter((s) => s.affiliation === 'customer').map((s) => s.name);
  const sellers = d.stakeholders.filter((s) => s.affiliation === 'seller').map((s) => s.name);
  let opening = FORMAT_NOUN[conversation.format];
  if (conversation.subject) opening += ` "${conversation.subject}"`;
  if (customers.length > 0) opening += ` with ${list(customers)}`;
  if (sellers.length > 0) opening += `${customers.length > 0 ? ',' : ''} led by ${list(sellers, 2)}`;
  if (d.useCase) opening += ` about ${d.useCase.text.replace(/[.!?]+$/, '')}`;
  sentences.push(opening + '.');

  const signals: string[] = [];
  if (d.budget) signals.push(`budget ${budgetText(d.budget)}`);
  if (d.timeline) signals.push(`timeline ${d.timeline.date ?? d.timeline.text}`);
  if (d.seatCount) signals.push(`${d.seatCount.count} seats`);
  if (d.competitors.length > 0) signals.push(`competing with ${list(d.competitors.map((c) => c.name))}`);
  if (d.objections.length > 0)
    signals.push(`${d.objections.length} objection${d.objections.length > 1 ? 's' : ''} raised`);
  if (signals.length > 0) sentences.push(capitalize(signals.join('; ')) + '.');

  const outlook: string[] = [];
  if (stage && stage.direction !== 'none' && stage.to) {
    outlook.push(`${stage.direction === 'backward' ? 'Regression' : 'Progress'} toward ${stage.to}`);
  }
  if (d.nextSteps.length > 0)
    outlook.push(`${d.nextSteps.length} next step${d.nextSteps.length > 1 ? 's' : ''} agreed`);
  if (outlook.length > 0) sentences.push(outlook.join('; ') + '.');
  if (sentences.length === 1 && signals.length === 0)
    sentences.push('Nothing deal-relevant was found to record.');
  return sentences.join(' ');
}

function capitalize(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}
