import type { Insights, MeddpiccKey } from '../insights/schema.js';
import { budgetText, ROLE_LABEL, shortQuote } from './notes-text.js';

/** Structured notes a rep pastes into Salesforce: plain text, headed sections, quotes kept short. */
const MEDDPICC_LABEL: Record<MeddpiccKey, string> = {
  metrics: 'Metrics',
  economicBuyer: 'Economic buyer',
  decisionCriteria: 'Decision criteria',
  decisionProcess: 'Decision process',
  paperProcess: 'Paper process',
  identifiedPain: 'Identified pain',
  champion: 'Champion',
  competition: 'Competition',
};

export function formatNotes(insights: Insights): string {
  const out: string[] = [];
  const section = (title: string, lines: string[]) => {
    if (lines.length === 0) return;
    out.push('', title.toUpperCase(), ...lines);
  };
  out.push('SUMMARY', insights.summary);
  // Said before anything else: a warning explains why the rest may be thin.
  section(
    'Warnings',
    (insights.warnings ?? []).map((w) => `- ${w}`),
  );
  section(
    'Next steps',
    insights.nextSteps.map(
      (n) => `- ${n.text}${n.owner ? ` (owner: ${n.owner})` : ''}${n.dueDate ? ` due ${n.dueDate}` : ''}`,
    ),
  );
  section(
    'Decisions',
    insights.decisions.map((d) => `- ${d.text}`),
  );
  section(
    'Objections',
    insights.objections.map((o) => `- ${o.text}`),
  );
  section(
    'Stakeholders',
    insights.stakeholders.map(
      (s) =>
        `- ${s.name}${s.title ? `, ${s.title}` : ''} (${s.affiliation}${s.role ? `, ${ROLE_LABEL[s.role]}` : ''})`,
    ),
  );
  const detailLabel = { title: 'new title', email: 'email', phone: 'phone', mobile: 'mobile' } as const;
  section(
    'Contact details',
    (insights.contactDetails ?? []).map((d) => `- ${d.person}: ${detailLabel[d.kind]} ${d.value}`),
  );
  const signals: string[] = [];
  if (insights.budget)
    signals.push(`- Budget: ${budgetText(insights.budget)} ${shortQuote(insights.budget.evidence.quote)}`);
  if (insights.timeline)
    signals.push(
      `- Timeline: ${insights.timeline.date ?? insights.timeline.text} ${shortQuote(insights.timeline.evidence.quote)}`,
    );
  if (insights.seatCount) signals.push(`- Seats: ${insights.seatCount.count}`);
  if (insights.useCase) signals.push(`- Use case: ${insights.useCase.text}`);
  section('Budget and timeline', signals);
  section(
    'Competitors',
    insights.competitors.map((c) => `- ${c.name}: ${c.context}`),
  );
  const meddpicc = (Object.keys(MEDDPICC_LABEL) as MeddpiccKey[])
    .filter((k) => insights.meddpicc[k].length > 0)
    .map((k) => `- ${MEDDPICC_LABEL[k]}: ${insights.meddpicc[k].map((s) => s.text).join('; ')}`);
  section('MEDDPICC', meddpicc);
  const stage = insights.stageSuggestion;
  if (stage && stage.direction !== 'none') {
    section('Suggested stage', [
      `- ${stage.from ?? '(unknown)'} -> ${stage.to} (${stage.direction})`,
      ...stage.reasons.map((r) => `  because: ${r}`),
      ...stage.evidence.slice(0, 3).map((e) => `  ${shortQuote(e.quote)}`),
    ]);
  }
  section(
    'Proposed field updates',
    insights.fieldUpdates.map(
      (f) =>
        `- ${f.object}.${f.field} = ${f.value} (confidence ${f.confidence.toFixed(2)}) ${shortQuote(f.evidence.quote, 90)}`,
    ),
  );
  return out.join('\n') + '\n';
}
