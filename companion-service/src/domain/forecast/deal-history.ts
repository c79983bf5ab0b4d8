/**
 * A deal's risk and forecast as a scan recorded them, and which records a scan adds to the history.
 * A deal gets a new row only when something recorded changed since its current row, and that row is
 * closed at the same moment (valid until the new one's time), so the rows valid at any moment are the
 * pipeline as the scans saw it then: history stays cheap, and last week can be read back rather than
 * recomputed.
 */

export interface RecordedDeal {
  opportunityId: string;
  name: string | null;
  riskScore: number | null;
  /** The model's win probability in percent (0..100, two decimals), null while it learned nothing. */
  modelProbability: number | null;
  suggestedCategory: string | null;
  stage: string;
  /** The opportunity's own Probability in percent, the weight while the model has none. */
  stageProbability: number | null;
  amount: number | null;
  closeDate: string | null;
  /** The rep's ForecastCategoryName. */
  forecastCategory: string | null;
  isClosed: boolean;
  isWon: boolean;
  /**
   * The slip chance in percent and the win probability's drivers, kept with the row for reading back
   * why a deal stood where it did. Not in RECORDED: they drift with the calendar (days to the close
   * date, days of silence) and would add a row a day without anything in the forecast changing.
   */
  slipProbability?: number | null;
  drivers?: string | null;
}

export interface HistoryRow extends RecordedDeal {
  key: string;
  scoredAt: string;
  /** When a later row replaced it; null while it is the deal's current row. */
  validUntil: string | null;
}

/** What a change to any of them makes worth a row; the name is a label, not a recorded value. */
const RECORDED: readonly (keyof RecordedDeal)[] = [
  'riskScore',
  'modelProbability',
  'suggestedCategory',
  'stage',
  'stageProbability',
  'amount',
  'closeDate',
  'forecastCategory',
  'isClosed',
  'isWon',
];

/** Numbers are compared at the two decimals the fields keep, so a rounding wobble is no change. */
const same = (a: unknown, b: unknown) =>
  typeof a === 'number' && typeof b === 'number' ? Math.round(a * 100) === Math.round(b * 100) : a === b;

export function sameRecord(a: RecordedDeal, b: RecordedDeal): boolean {
  return RECORDED.every((field) => same(a[field] ?? null, b[field] ?? null));
}

export const historyKey = (opportunityId: string, scoredAt: string) => `${opportunityId}:${scoredAt}`;

export interface HistoryChanges {
  /** New current rows. */
  added: HistoryRow[];
  /** Current rows a new row replaces: their key, now valid until the scan's time. */
  closed: { key: string; validUntil: string }[];
  unchanged: number;
}

/**
 * The rows a scan adds: for each deal it scored, a row when the deal has none yet or its values moved
 * since its current row. A closed deal is recorded once, as it leaves the pipeline: only when its
 * current row still has it open (a deal closed before it was ever recorded was never in a forecast).
 */
export function historyChanges(
  deals: readonly RecordedDeal[],
  current: ReadonlyMap<string, HistoryRow>,
  scoredAt: string,
): HistoryChanges {
  const changes: HistoryChanges = { added: [], closed: [], unchanged: 0 };
  for (const deal of deals) {
    const held = current.get(deal.opportunityId);
    if (deal.isClosed && (!held || held.isClosed)) continue;
    if (held && sameRecord(held, deal)) {
      changes.unchanged++;
      continue;
    }
    if (held) changes.closed.push({ key: held.key, validUntil: scoredAt });
    changes.added.push({
      ...deal,
      key: historyKey(deal.opportunityId, scoredAt),
      scoredAt,
      validUntil: null,
    });
  }
  return changes;
}

/** The rows valid at a moment: for each deal, its row scored by then and not yet replaced. */
export function rowsValidAt(rows: readonly HistoryRow[], at: string): Map<string, HistoryRow> {
  const valid = new Map<string, HistoryRow>();
  for (const row of rows) {
    if (row.scoredAt > at || (row.validUntil !== null && row.validUntil <= at)) continue;
    const seen = valid.get(row.opportunityId);
    if (!seen || row.scoredAt > seen.scoredAt) valid.set(row.opportunityId, row);
  }
  return valid;
}
