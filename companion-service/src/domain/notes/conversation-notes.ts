import type { Insights } from '../insights/schema.js';

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

const ROLE: Record<string, string> = {
  champion: 'champion',
  economic_buyer: 'economic buyer',
  decision_maker: 'decision maker',
  technical_evaluator: 'technical evaluator',
  influencer: 'influencer',
  blocker: 'blocker',
  user: 'user',
  procurement_legal: 'procurement/legal',
};

function quoted(text: string, max = 160): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return `"${flat.length > max ? flat.slice(0, max - 1) + '…' : flat}"`;
}

function money(amount: number, currency: string): string {
  return new Intl.NumberFormat('en-US', { style: 'currency', currency, maximumFractionDigits: 0 }).format(
    amount,
  );
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
          `${s.name}${s.title ? `, ${s.title}` : ''} (${s.affiliation}${s.role ? `, ${ROLE[s.role]}` : ''})`,
      ),
    ),
    budgetSignals: insights.budget
      ? `${money(insights.budget.amount, insights.budget.currency)} ${quoted(insights.budget.evidence.quote)}`
      : '',
    timelineSignals: insights.timeline
      ? `${insights.timeline.date ?? insights.timeline.text} ${quoted(insights.timeline.evidence.quote)}`
      : '',
    competitors: lines(insights.competitors.map((c) => `${c.name}: ${c.context}`)),
  };
}
