import { describe, expect, it } from 'vitest';
import { riskTrend, scoreRisk } from '../../../src/domain/risk/deal-risk.js';
import type { Finding } from '../../../src/domain/hygiene/deal-signals.js';

const finding = (signal: Finding['signal'], weight: number): Finding => ({
  signal,
  rule: `Risk_Rule__mdt.${signal}`,
  label: signal.replace(/_/g, ' '),
  category: 'Risk',
  weight,
  action: 'Follow Up',
  evidence: `${signal} evidence`,
  facts: {},
});

describe('deal risk', () => {
  it('adds the weights of the rules met, heaviest factor first, ties by signal', () => {
    const risk = scoreRisk([
      finding('No_Next_Step', 10),
      finding('Zombie', 25),
      finding('Competitor_Present', 10),
    ]);
    expect(risk.score).toBe(45);
    expect(risk.factors.map((f) => f.signal)).toEqual(['Zombie', 'Competitor_Present', 'No_Next_Step']);
  });

  it('caps at 100 and is 0 with nothing met', () => {
    expect(scoreRisk([finding('Zombie', 60), finding('Stale', 60)]).score).toBe(100);
    expect(scoreRisk([])).toEqual({ score: 0, factors: [] });
  });

  it('gives the week-over-week change and which rules came and went', () => {
    const trend = riskTrend(
      scoreRisk([finding('Stale', 20), finding('Pricing_Objection', 10)]),
      scoreRisk([finding('No_Next_Step', 10)]),
    );
    expect(trend).toEqual({
      previous: 10,
      change: 20,
      added: ['Stale', 'Pricing Objection'],
      cleared: ['No Next Step'],
    });
    expect(riskTrend(scoreRisk([]), null).change).toBeNull();
  });
});
