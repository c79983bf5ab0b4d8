import type { Finding } from '../hygiene/deal-signals.js';

/**
 * A deal's risk, 0-100: the weights (Risk_Rule__mdt.Weight__c) of the rules it meets, added and
 * capped at 100. Points that add up are what a sales manager can check by hand against the factors
 * listed; the cap keeps a deal that meets everything at "certainly in trouble", not beyond.
 */

export interface RiskFactor {
  signal: Finding['signal'];
  rule: string;
  label: string;
  weight: number;
  evidence: string;
}

export interface RiskScore {
  score: number;
  /** Heaviest first; equal weights by signal name, so the order never depends on input order. */
  factors: RiskFactor[];
}

export interface RiskTrend {
  /** The score a week before the as-of date, or null when the deal was not open then. */
  previous: number | null;
  change: number | null;
  /** Rules met now that were not a week ago, and the reverse. */
  added: string[];
  cleared: string[];
}

export function scoreRisk(findings: readonly Finding[]): RiskScore {
  const factors = findings
    .map((f) => ({ signal: f.signal, rule: f.rule, label: f.label, weight: f.weight, evidence: f.evidence }))
    .sort((a, b) => b.weight - a.weight || a.signal.localeCompare(b.signal));
  const total = factors.reduce((sum, f) => sum + f.weight, 0);
  return { score: Math.min(100, Math.round(total)), factors };
}

export function riskTrend(now: RiskScore, weekAgo: RiskScore | null): RiskTrend {
  if (!weekAgo) return { previous: null, change: null, added: [], cleared: [] };
  const before = new Set(weekAgo.factors.map((f) => f.signal));
  const after = new Set(now.factors.map((f) => f.signal));
  return {
    previous: weekAgo.score,
    change: now.score - weekAgo.score,
    added: [...after]
      .filter((s) => !before.has(s))
      .map((s) => now.factors.find((f) => f.signal === s)!.label),
    cleared: [...before]
      .filter((s) => !after.has(s))
      .map((s) => weekAgo.factors.find((f) => f.signal === s)!.label),
  };
}
