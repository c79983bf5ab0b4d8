import { describe, expect, it } from 'vitest';
import { repCategorySums } from '../../../src/domain/forecast/rep-categories.js';

const deal = (
  forecastCategory: string | null,
  amount: number | null,
  closeDate = '2027-02-01',
  isClosed = false,
) => ({
  forecastCategory,
  amount,
  closeDate,
  isClosed,
});

describe("the reps' own forecast", () => {
  it('sums the open deals closing by the period end as Salesforce forecasts do: best case includes commit', () => {
    const sums = repCategorySums(
      [
        deal('Commit', 100_000.1),
        deal('Best Case', 50_000.2),
        deal('Pipeline', 25_000),
        deal(null, 5_000),
        deal('Omitted', 999_999),
        deal('Commit', 70_000, '2027-04-01'),
        deal('Closed', 40_000, '2027-01-10', true),
        deal('Commit', null),
      ],
      '2027-03-07',
    );

    expect(sums).toEqual({ commit: 100_000.1, bestCase: 150_000.3, pipeline: 180_000.3, deals: 5 });
  });
});
