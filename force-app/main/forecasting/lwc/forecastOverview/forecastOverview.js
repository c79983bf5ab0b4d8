import { LightningElement, wire } from 'lwc';
import { refreshApex } from '@salesforce/apex';
import { NavigationMixin } from 'lightning/navigation';
import LOCALE from '@salesforce/i18n/locale';
import USER_CURRENCY from '@salesforce/i18n/currency';
import getForecastOverview from '@salesforce/apex/ForecastOverviewController.getForecastOverview';
import { LoadingPanel, openRecordLink } from 'c/ldsUtils';

/** The chart's drawing box (the SVG scales to the card's width). */
const WIDTH = 640;
const LEFT = 150;
const RIGHT = 24;
const TOP = 28;
const ROW = 34;
const AXIS_GAP = 44;

/** What each bucket of the movement is called, in the order the table lists them. */
const KIND_LABELS = {
  in: 'In',
  out: 'Out',
  slipped: 'Slipped',
  up: 'Up',
  down: 'Down',
};
const REASON_LABELS = {
  new: 'new deal',
  reopened: 'reopened',
  won: 'won',
  lost: 'lost',
  'no longer open': 'no longer open',
  'close date pushed': 'close date pushed',
  amount: 'amount changed',
  probability: 'win probability changed',
};

const MESSAGES = {
  loading: 'Loading the forecast',
  error: 'Could not load the forecast',
};

const isNumber = (value) => typeof value === 'number' && Number.isFinite(value);

/** A round step for about five ticks: 1, 2 or 5 times a power of ten. */
function tickStep(max) {
  const raw = max / 5;
  const power = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * power).find((candidate) => candidate >= raw);
  return step ?? 10 * power;
}

/**
 * For the CRO: the quarter's forecast from the latest snapshot the service wrote with a full scan. The
 * P10-P90 range of the won value as a chart with its axis in the snapshot's currency and the quota line,
 * commit and best case from the deals' modelled probabilities beside the reps' own categories, and what
 * moved since a week earlier (in, out, slipped, up, down), which adds up to the change in the weighted
 * pipeline. Each part that has nothing to show says why.
 */
export default class ForecastOverview extends LoadingPanel(NavigationMixin(LightningElement), {
  field: 'overview',
  messages: MESSAGES,
}) {
  overview;
  isRefreshing = false;

  @wire(getForecastOverview)
  wiredOverview(result) {
    this.takeWired(result);
  }

  /** Before the first full scan Apex answers with no snapshot; the page then says how to get one. */
  get hasContent() {
    return Boolean(this.overview?.hasSnapshot);
  }

  get currency() {
    return this.overview?.currencyCode || USER_CURRENCY;
  }

  money(value, compact = false) {
    if (!isNumber(value)) return '';
    return new Intl.NumberFormat(LOCALE, {
      style: 'currency',
      currency: this.currency,
      minimumFractionDigits: 0,
      maximumFractionDigits: compact ? 1 : 0,
      ...(compact ? { notation: 'compact' } : {}),
    }).format(value);
  }

  signedMoney(value) {
    if (!isNumber(value)) return '';
    const text = this.money(Math.abs(value));
    if (value > 0) return `+${text}`;
    return value < 0 ? `−${text}` : text;
  }

  day(value) {
    if (!value) return '';
    return new Intl.DateTimeFormat(LOCALE, { dateStyle: 'medium', timeZone: 'UTC' }).format(
      new Date(`${String(value).slice(0, 10)}T00:00:00Z`),
    );
  }

  get periodText() {
    return `${this.day(this.overview.periodStart)} – ${this.day(this.overview.periodEnd)}`;
  }

  get hasRange() {
    const { p10, p50, p90 } = this.overview;
    return isNumber(p10) && isNumber(p50) && isNumber(p90);
  }

  /** Why there is no range: the model's note, or the fallback's reason. */
  get noRangeReason() {
    return (
      this.overview.modelNote ||
      'The last full scan could not compute the quarter’s range; it is computed again with the next one.'
    );
  }

  get rangeSummary() {
    const { p10, p50, p90 } = this.overview;
    return `Won value ${this.periodText}: ${this.money(p50)} at the median, between ${this.money(p10)} (P10) and ${this.money(p90)} (P90).`;
  }

  get hasQuota() {
    return isNumber(this.overview.quotaAmount);
  }

  get quotaText() {
    return this.hasQuota
      ? `Quota ${this.money(this.overview.quotaAmount)}: ${this.overview.quotaNote ?? ''}`.trim()
      : this.overview.quotaNote ||
          'No quota is set: enter the quarter’s quota in Quarterly Quota of the Default Scribe Setting.';
  }

  /** The range chart: one row for the P10-P90 band with the P50, then commit and best case, signals beside reps. */
  get chart() {
    const o = this.overview;
    const rows = [
      { key: 'range', label: 'P10–P90 range', from: o.p10, to: o.p90, mark: o.p50, band: true },
      { key: 'commit', label: 'Commit: signals', to: o.commitAmount },
      { key: 'rep-commit', label: 'Commit: reps', to: o.repCommitAmount, reps: true },
      { key: 'best-case', label: 'Best case: signals', to: o.bestCaseAmount },
      { key: 'rep-best-case', label: 'Best case: reps', to: o.repBestCaseAmount, reps: true },
    ];
    const values = [
      o.p90,
      o.commitAmount,
      o.repCommitAmount,
      o.bestCaseAmount,
      o.repBestCaseAmount,
      o.quotaAmount,
    ];
    const max = Math.max(1, ...values.filter(isNumber));
    const step = tickStep(max);
    const top = Math.ceil((max * 1.05) / step) * step;
    const plotWidth = WIDTH - LEFT - RIGHT;
    const x = (value) => LEFT + (Math.max(0, value) / top) * plotWidth;
    const axisY = TOP + rows.length * ROW;
    const ticks = [];
    for (let value = 0; value <= top + step / 2; value += step) {
      ticks.push({ key: `tick-${value}`, x: x(value), label: this.money(value, true) });
    }
    return {
      viewBox: `0 0 ${WIDTH} ${axisY + AXIS_GAP}`,
      label:
        `${this.rangeSummary} ${this.comparisonSummary} ${this.hasQuota ? `Quota ${this.money(o.quotaAmount)}.` : ''}`.trim(),
      left: LEFT,
      right: WIDTH - RIGHT,
      top: TOP - 8,
      axisY,
      tickLabelY: axisY + 16,
      axisTitle: `Won value, ${this.currency}, ${this.periodText}`,
      axisTitleX: LEFT + plotWidth / 2,
      axisTitleY: axisY + 36,
      ticks: ticks.map((t) => ({ ...t, y1: TOP - 8, y2: axisY, tickY2: axisY + 5 })),
      rows: rows.map((row, i) => {
        const y = TOP + i * ROW;
        const known = isNumber(row.to);
        const start = row.band && isNumber(row.from) ? x(row.from) : x(0);
        const end = known ? x(row.to) : start;
        return {
          key: row.key,
          label: row.label,
          labelY: y + ROW / 2 + 4,
          barY: y + 7,
          barHeight: ROW - 14,
          barX: start,
          barWidth: Math.max(1, end - start),
          barClass: `bar ${row.band ? 'bar-range' : row.reps ? 'bar-reps' : 'bar-signals'}`,
          hasBar: known,
          hasMark: row.band && isNumber(row.mark),
          markX: row.band && isNumber(row.mark) ? x(row.mark) : 0,
          markY1: y + 3,
          markY2: y + ROW - 3,
          markLabelY: y + 1,
          markLabel: row.band && isNumber(row.mark) ? `P50 ${this.money(row.mark, true)}` : '',
          value: known
            ? row.band
              ? `${this.money(row.from, true)}–${this.money(row.to, true)}`
              : this.money(row.to, true)
            : 'not computed',
          valueX: Math.min(WIDTH - RIGHT, end + 6),
          valueAnchor: end + 6 > WIDTH - RIGHT - 60 ? 'end' : 'start',
          title: known
            ? `${row.label}: ${row.band ? `${this.money(row.from)} to ${this.money(row.to)}, P50 ${this.money(row.mark)}` : this.money(row.to)}`
            : `${row.label}: not computed`,
        };
      }),
      quota: this.hasQuota
        ? {
            x: x(o.quotaAmount),
            label: `Quota ${this.money(o.quotaAmount, true)}`,
            labelX: Math.min(WIDTH - RIGHT, x(o.quotaAmount)),
          }
        : null,
    };
  }

  get comparisonSummary() {
    const o = this.overview;
    return `Commit ${this.money(o.commitAmount)} from signals, ${this.money(o.repCommitAmount)} from the reps; best case ${this.money(o.bestCaseAmount)} from signals, ${this.money(o.repBestCaseAmount)} from the reps.`;
  }

  /** Commit, best case and pipeline: signals beside the reps' own categories. */
  get categories() {
    const o = this.overview;
    return [
      ['Commit', o.commitAmount, o.repCommitAmount],
      ['Best case', o.bestCaseAmount, o.repBestCaseAmount],
      ['Pipeline', o.pipelineAmount, o.repPipelineAmount],
    ].map(([label, signals, reps]) => ({
      key: label,
      label,
      signals: isNumber(signals) ? this.money(signals) : 'not computed',
      reps: isNumber(reps) ? this.money(reps) : '',
      difference: isNumber(signals) && isNumber(reps) ? this.signedMoney(reps - signals) : '',
    }));
  }

  get hasMovement() {
    return this.overview.buckets.length > 0;
  }

  get movementNote() {
    return this.overview.movementNote;
  }

  /** The weighted pipeline then and now: the buckets' changes add up to the difference. */
  get movementSummary() {
    const o = this.overview;
    return `Weighted pipeline ${this.money(o.previousWeightedPipeline)} on ${this.day(o.movementFrom)}, ${this.money(o.weightedPipeline)} now: ${this.signedMoney(o.weightedPipeline - o.previousWeightedPipeline)}.`;
  }

  get buckets() {
    return this.overview.buckets.map((bucket) => ({
      key: bucket.kind,
      label: KIND_LABELS[bucket.kind] ?? bucket.kind,
      deals: bucket.deals,
      pipelineChange: this.signedMoney(bucket.pipelineChange),
      weightedChange: this.signedMoney(bucket.weightedChange),
    }));
  }

  get moves() {
    return this.overview.moves.map((move, index) => ({
      key: move.opportunityId ?? `hidden-${index}`,
      id: move.opportunityId,
      url: move.opportunityId ? `/lightning/r/Opportunity/${move.opportunityId}/view` : null,
      name: move.name,
      kind: KIND_LABELS[move.kind] ?? move.kind,
      reason: REASON_LABELS[move.reason] ?? move.reason,
      amount: this.amountChange(move),
      closeDate: this.closeDateChange(move),
      weightedChange: this.signedMoney(move.weightedChange),
    }));
  }

  get hasMoves() {
    return this.overview.moves.length > 0;
  }

  amountChange(move) {
    const [before, after] = [move.amountBefore, move.amountAfter].map((value) => this.money(value));
    if (before && after && before !== after) return `${before} → ${after}`;
    return after || before;
  }

  closeDateChange(move) {
    const [before, after] = [move.closeDateBefore, move.closeDateAfter].map((value) => this.day(value));
    if (before && after && before !== after) return `${before} → ${after}`;
    return after || before;
  }

  get slipping() {
    const percent = (value) => (isNumber(value) ? `${Math.round(value)}%` : null);
    return (this.overview.likelyToSlip ?? []).map((deal) => {
      const win = percent(deal.winProbability);
      return {
        key: deal.opportunityId,
        id: deal.opportunityId,
        url: `/lightning/r/Opportunity/${deal.opportunityId}/view`,
        name: deal.name,
        facts: [
          `${percent(deal.slipProbability)} chance to miss ${this.day(deal.closeDate)}`,
          deal.stageName,
          this.money(deal.amount),
          win && `${win} to win`,
        ]
          .filter(Boolean)
          .join(' · '),
        driversLabel: `What drives the win probability of ${deal.name}`,
        drivers: (deal.drivers ?? []).map((text, index) => ({ key: `${deal.opportunityId}-${index}`, text })),
      };
    });
  }

  get hasSlipping() {
    return this.slipping.length > 0;
  }

  /** The warning's cut-off comes from the Scribe Settings through Apex; the page holds none of its own. */
  get slippingSummary() {
    const at = this.overview.slipWarningPercent;
    if (!isNumber(at)) return '';
    const shown = this.slipping.length;
    if (shown === 0)
      return `No open deal you can see has a chance of ${Math.round(at)}% or more of missing its close date.`;
    return `Open deals with a chance of ${Math.round(at)}% or more of missing their close date (the Slip Warning Probability of the Scribe Settings), largest first, with what drives their win probability.`;
  }

  get dealsText() {
    const o = this.overview;
    const count = (n, one, many) => `${n} ${n === 1 ? one : many}`;
    const without = o.dealsWithoutAmount
      ? `; ${count(o.dealsWithoutAmount, 'deal without an amount is', 'deals without an amount are')} left out of the amounts`
      : '';
    return `${count(o.dealCount ?? 0, 'open deal', 'open deals')}${without}.`;
  }

  handleOpen(event) {
    openRecordLink(this, event);
  }

  async handleRefresh() {
    this.isRefreshing = true;
    try {
      await refreshApex(this.wiredResult);
    } finally {
      this.isRefreshing = false;
    }
  }
}
