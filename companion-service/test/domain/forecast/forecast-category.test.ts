import { describe, expect, it } from 'vitest';
import { describeCutoffs, forecastCategory } from '../../../src/domain/forecast/forecast-category.js';

const SHIPPED = { commit: 0.7, bestCase: 0.4 };

describe('forecastCategory', () => {
  it.each([
    [0.7, 'Commit'],
    [0.69, 'Best Case'],
    [0.4, 'Best Case'],
    [0.39, 'Pipeline'],
  ])('reads a win chance of %p as %s by the shipped cut-offs', (probability, category) => {
    expect(forecastCategory(probability, SHIPPED)).toBe(category);
  });

  it('follows the cut-offs sales ops set', () => {
    const cautious = { commit: 0.85, bestCase: 0.6 };
    expect(forecastCategory(0.7, cautious)).toBe('Best Case');
    expect(forecastCategory(0.5, cautious)).toBe('Pipeline');
    expect(describeCutoffs(cautious)).toBe('Commit from 85%, Best Case from 60%');
  });
});
