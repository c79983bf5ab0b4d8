import type { PipelineDataset } from '../pipeline/records.js';

/**
 * Dates that contradict each other, refused before a forecast is learned from them: the forecast
 * replays the pipeline day by day, and a stage change dated before its opportunity existed cannot be
 * placed on that timeline without guessing which date is wrong. Salesforce writes a history row when
 * the record is created and on each change after, never before, so such a row means the export mixed
 * up its dates (a column mapped to the wrong field, or two files from different orgs).
 *
 * A closed deal whose close date precedes its created date is not refused: Salesforce accepts a
 * backdated close date on a record created already closed (imports do it; the salesforce-dev-org
 * sample has such deals), and the forecast counts it closed from its close date.
 */

export class DealDatesOutOfOrder extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DealDatesOutOfOrder';
  }
}

/** Throws naming the first row whose dates are out of order; rows count from 1, as a spreadsheet shows data rows. */
export function checkDealDates(dataset: PipelineDataset): void {
  const created = new Map<string, { date: string; row: number }>();
  dataset.opportunities.forEach((o, i) => {
    if (o.createdDate !== null && !created.has(o.id)) created.set(o.id, { date: o.createdDate, row: i + 1 });
  });
  dataset.history.forEach((h, i) => {
    const deal = created.get(h.opportunityId);
    if (deal && h.date < deal.date) {
      throw new DealDatesOutOfOrder(
        `history row ${i + 1} (${h.opportunityId}, ${h.stage}) is dated ${h.date}, before the opportunity was created on ${deal.date} (opportunity row ${deal.row}): correct the dates or leave the row out`,
      );
    }
  });
}
