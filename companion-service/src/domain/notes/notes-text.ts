import type { Budget, StakeholderRole } from '../insights/schema.js';

/** How notes write things a rep reads: roles in words, amounts as money, quotes kept short. */
export const ROLE_LABEL: Record<StakeholderRole, string> = {
  champion: 'champion',
  economic_buyer: 'economic buyer',
  decision_maker: 'decision maker',
  technical_evaluator: 'technical evaluator',
  influencer: 'influencer',
  blocker: 'blocker',
  user: 'user',
  procurement_legal: 'procurement/legal',
};

export function shortQuote(text: string, max = 140): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return `"${flat.length > max ? flat.slice(0, max - 1) + '…' : flat}"`;
}

export function money(amount: number, currency: string): string {
  return new Intl.NumberFormat('en-US', { style: 'currency', currency, maximumFractionDigits: 0 }).format(
    amount,
  );
}

/** A budget as a rep reads it: "$120,000", or a range kept as one, "$50,000–$70,000". */
export function budgetText(budget: Pick<Budget, 'amount' | 'currency' | 'range'>): string {
  return budget.range
    ? `${money(budget.range.low.amount, budget.currency)}–${money(budget.range.high.amount, budget.currency)}`
    : money(budget.amount, budget.currency);
}
