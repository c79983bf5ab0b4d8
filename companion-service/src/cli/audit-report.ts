import type { PipelineAudit } from '../domain/review/pipeline-audit.js';

/** The audit for machines: JSON with the source it came from, and CSV with one row per open deal. */

export interface AuditSource {
  opportunities: string;
  history: string | null;
  rows: number;
  historyRows: number;
  /** Deals with no date at all, left out because the as-of date is before the export. */
  undatedLeftOut: number;
  asOfDefaulted: boolean;
  /** Rows left out because they could not be read, and the first of them with where and why. */
  skippedRows: number;
  badRows: { file: string; line: number; column: string | null; problem: string }[];
}

export function moneyFormatter(currency: string): (amount: number) => string {
  let format: Intl.NumberFormat;
  try {
    format = new Intl.NumberFormat('en-US', { style: 'currency', currency, maximumFractionDigits: 0 });
  } catch {
    // A currency code Intl does not know still reads as "1,250 XYZ".
    const plain = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });
    return (amount) => `${plain.format(amount)} ${currency}`;
  }
  return (amount) => format.format(amount);
}

export function auditJson(audit: PipelineAudit, source: AuditSource): string {
  return JSON.stringify({ source, ...audit }, null, 2) + '\n';
}

export const CSV_COLUMNS = [
  'opportunity_id',
  'name',
  'owner',
  'account',
  'stage',
  'amount',
  'close_date',
  'status',
  'confidence',
  'confidence_basis',
  'risk_score',
  'risk_last_week',
  'risk_change',
  'flags',
  'evidence',
  'next_best_action',
  'action_why',
  'completeness',
  'missing_fields',
  'decision_phase',
  'last_touch',
] as const;

/** RFC 4180 quoting: the one rule a CSV writer needs, so no dependency for it. */
const cell = (value: string | number | null) => {
  if (value === null) return '';
  const text = String(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
};

export function auditCsv(audit: PipelineAudit): string {
  const review = new Map(audit.review.deals.map((d) => [d.opportunityId, d]));
  const actions = new Map(audit.queues.flatMap((q) => q.actions.map((a) => [a.opportunityId, a] as const)));
  const lines = [CSV_COLUMNS.join(',')];
  for (const deal of audit.deals) {
    const r = review.get(deal.opportunityId)!;
    const action = actions.get(deal.opportunityId);
    const row = [
      deal.opportunityId,
      deal.name,
      deal.owner,
      deal.accountName,
      deal.stage,
      deal.amount,
      deal.closeDate,
      r.status,
      r.confidence ? Number(r.confidence.probability.toFixed(4)) : null,
      r.confidence?.basis ?? null,
      deal.risk.score,
      deal.trend.previous,
      deal.trend.change,
      deal.findings.map((f) => f.signal).join(';'),
      deal.findings.map((f) => `${f.label}: ${f.evidence}`).join(' | '),
      action?.action ?? null,
      action?.why ?? null,
      deal.completeness?.score === null || deal.completeness === null
        ? null
        : Number(deal.completeness.score.toFixed(2)),
      deal.completeness?.missing.join(';') ?? null,
      deal.decisionPhase?.phase ?? null,
      r.lastTouch?.date ?? null,
    ];
    lines.push(row.map(cell).join(','));
  }
  return lines.join('\n') + '\n';
}
