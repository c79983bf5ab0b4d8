import { describe, expect, it } from 'vitest';
import { stageCalibration, wilson } from '../../../src/domain/calibration/stage-calibration.js';
import { stateAsOf } from '../../../src/domain/pipeline/state-as-of.js';
import { generatePipeline } from '../../../eval/forecast/generated-pipeline.js';

describe('the stage calibration report', () => {
  it('shows that a 90% stage wins far less often, and suggests a probability near the realized rate', () => {
    const g = generatePipeline({ seed: 5, deals: 3000 });
    const report = stageCalibration(stateAsOf(g.dataset, '2026-06-30'), [
      { stageName: 'Negotiation/Review', defaultProbability: 90, sortOrder: 4, isClosed: false },
      { stageName: 'Qualification', defaultProbability: 10, sortOrder: 1, isClosed: false },
    ]);
    const negotiation = report.stages.find((s) => s.stage === 'Negotiation/Review')!;
    expect(negotiation.statedFrom).toBe('stage rules');
    expect(negotiation.reachedAndClosed).toBeGreaterThan(500);
    expect(negotiation.realizedWinRate!).toBeLessThan(0.8);
    expect(negotiation.outsideInterval).toBe(true);
    expect(Math.abs(negotiation.suggestedProbability! - negotiation.realizedWinRate!)).toBeLessThan(0.02);
    // Stages without a rule take the probability recorded in history.
    expect(report.stages.find((s) => s.stage === 'Needs Analysis')).toMatchObject({
      statedProbability: 0.2,
      statedFrom: 'records',
    });
  });

  it('says when there are too few closed deals to act on', () => {
    const g = generatePipeline({ seed: 5, deals: 40 });
    const report = stageCalibration(stateAsOf(g.dataset, '2024-03-01'));
    expect(report.note).toMatch(/closed deals: read every rate below as a hint/);
    expect(report.stages.some((s) => /too few to change the rule|no closed deal/.test(s.note))).toBe(true);
  });

  it('gives a Wilson interval that stays inside 0..1 and contains the rate', () => {
    expect(wilson(0, 2).low).toBe(0);
    const i = wilson(6, 10);
    expect(i.low).toBeLessThan(0.6);
    expect(i.high).toBeGreaterThan(0.6);
    expect(i.high).toBeLessThanOrEqual(1);
  });
});
