import type { Insights } from '../insights/schema.js';
import { budgetText, ROLE_LABEL, shortQuote } from './notes-text.js';

/**
 * The structured notes a Conversation__c record keeps, one text per section, in the form the
 * conversation notes panel shows: one line per item, quotes short.
 */

export interface ConversationNotes {
  summary: string;
  decisions: string;
  objections: string;
  nextSteps: string;
  stakeholders: string;
  budgetSignals: string;
  timelineSignals: string;
  competitors: string;
}

export function conversationNotes(insights: Insights): ConversationNotes {
  const lines = (items: string[]) => items.join('\n');
  return {
    summary: insights.summary,
    decisions: lines(insights.decisions.map((d) => d.text)),
    objections: lines(insights.objections.map((o) => o.text)),
    nextSteps: lines(
      insights.nextSteps.map(
        (n) => `${n.owner ? `${n.owner}: ` : ''}${n.text}${n.dueDate ? ` (by ${n.dueDate})` : ''}`,
      ),
    ),
    stakeholders: lines(
      insights.stakeholders.map(
        (s) =>
          `${s.name}${s.title ? `, ${s.title}` : ''} (${s.affiliation}${s.role ? `, ${ROLE_LABEL[s.role]}` : ''})`,
      ),
    ),
    budgetSignals: insights.budget
      ? `${budgetText(insights.budget)} ${shortQuote(insights.budget.evidence.quote, 160)}`
      : '',
    timelineSignals: insights.timeline
      ? `${insights.timeline.date ?? insights.timeline.text} ${shortQuote(insights.timeline.evidence.quote, 160)}`
      : '',
    competitors: lines(insights.competitors.map((c) => `${c.name}: ${c.context}`)),
  };
}
