import { LightningElement, wire } from 'lwc';
import { NavigationMixin } from 'lightning/navigation';
import getReviewChoices from '@salesforce/apex/WeeklyReviewController.getReviewChoices';
import getReview from '@salesforce/apex/WeeklyReviewController.getReview';
import { LoadingPanel, openRecordLink } from 'c/ldsUtils';
import { reviewCsv } from './reviewCsv';

/** What the panel says while the choices load, when they fail, and before the first review. */
const MESSAGES = {
  loading: 'Loading your weekly reviews',
  error: 'Could not load your weekly reviews',
};

const REVIEW_MESSAGES = {
  loading: 'Loading the weekly review',
  error: 'Could not load this weekly review',
};

const CONFIDENCE_BADGES = {
  High: 'confidence-high slds-theme_success',
  Medium: 'confidence-medium slds-theme_warning',
  Low: 'confidence-low slds-theme_error',
};

const STATUS_CLASSES = {
  'At risk': 'status slds-text-color_error',
  'Close out': 'status slds-text-color_error',
  Watch: 'status',
  'On track': 'status slds-text-color_success',
};

const recordUrl = (id) => `/${id}`;
const plural = (n, one, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/** A list of the content with each deal's link, a key for the template and the deal's name as its text. */
const linked = (items) =>
  (items ?? []).map((item, index) => ({
    ...item,
    key: `${item.opportunityId}-${index}`,
    url: recordUrl(item.opportunityId),
    label: item.name ?? item.opportunityId,
  }));

function riskChangeText(change) {
  if (change === null || change === undefined) return 'New this week';
  if (change === 0) return 'No change since last week';
  return change > 0 ? `Up ${change} since last week` : `Down ${Math.abs(change)} since last week`;
}

/**
 * The weekly deal review, seed 000's, in Salesforce: for the team or one rep, the status summary,
 * confidence with its reasons, key risks, help needed, next steps, the pipeline in figures, the three
 * deals to focus on and the deals to consider closing out, with every deal linked to its record. The
 * pipeline scan writes the reviews as Pipeline Review records; the org's sharing decides which a user sees.
 * Print gives a paper copy without the controls; Export CSV the deals with their next steps.
 */
export default class WeeklyReview extends LoadingPanel(NavigationMixin(LightningElement), {
  field: 'choices',
  messages: MESSAGES,
}) {
  choices = [];
  selectedId;
  review;
  reviewError;
  reviewLoading = false;

  @wire(getReviewChoices)
  wiredChoices(result) {
    this.takeWired(result, (data) => data);
    if (result.data && result.data.length > 0 && !result.data.some((c) => c.reviewId === this.selectedId)) {
      this.reviewLoading = true;
      this.selectedId = result.data[0].reviewId;
    }
  }

  @wire(getReview, { reviewId: '$selectedId' })
  wiredReview({ data, error }) {
    if (data) {
      this.review = data;
      this.reviewError = undefined;
      this.reviewLoading = false;
    } else if (error) {
      this.review = undefined;
      this.reviewError = error;
      this.reviewLoading = false;
    }
  }

  get pickerOptions() {
    return this.choices.map((choice) => ({ label: choice.label, value: choice.reviewId }));
  }

  get reviewState() {
    return {
      isLoading: this.reviewLoading,
      errors: this.reviewError,
      isEmpty: false,
      messages: REVIEW_MESSAGES,
    };
  }

  get hasReview() {
    return Boolean(this.review) && !this.reviewLoading && !this.reviewError;
  }

  get content() {
    return this.review.content;
  }

  get isTeam() {
    return this.review.scope === 'Team';
  }

  get heading() {
    return this.isTeam ? `${this.review.ownerName}'s team` : this.review.ownerName;
  }

  get confidenceClass() {
    return `confidence-badge slds-badge ${CONFIDENCE_BADGES[this.review.confidence] ?? ''}`;
  }

  get confidenceReasons() {
    return (this.content.confidence?.reasons ?? []).map((text, index) => ({ key: index, text }));
  }

  get pipeline() {
    const p = this.content.pipeline;
    return {
      ...p,
      openText: plural(p.openDeals, 'open deal'),
      // What is expected to close this month and this quarter, read the same way.
      periods: [
        ['this-month', 'Expected this month', p.thisMonth],
        ['this-quarter', 'Expected this quarter', p.thisQuarter],
      ].map(([key, label, period]) => ({
        ...period,
        key,
        valueKey: `${key}-value`,
        label,
        valueClass: `${key} slds-item_detail`,
        closingText: `${plural(period.deals, 'deal')} closing by`,
      })),
      withoutAmount: p.dealsWithoutAmount
        ? `${plural(p.dealsWithoutAmount, 'deal')} without an amount count as zero.`
        : '',
    };
  }

  get focus() {
    return linked(this.content.focus);
  }

  get closeOut() {
    return linked(this.content.closeOut);
  }

  get helpNeeded() {
    return linked(this.content.helpNeeded);
  }

  get nextSteps() {
    return linked(this.content.nextSteps);
  }

  get keyRisks() {
    return (this.content.keyRisks ?? []).map((risk) => ({ ...risk, key: risk.signal }));
  }

  get reps() {
    return (this.content.reps ?? []).map((rep) => ({
      ...rep,
      confidenceClass: `slds-badge ${CONFIDENCE_BADGES[rep.confidence] ?? ''}`,
    }));
  }

  get hasReps() {
    return this.isTeam && this.reps.length > 0;
  }

  get deals() {
    return linked(this.content.deals).map((deal) => ({
      ...deal,
      statusClass: STATUS_CLASSES[deal.status] ?? 'status',
      winChanceKnown: typeof deal.winChance === 'number',
      riskTitle: `Risk ${deal.risk}/100; ${riskChangeText(deal.riskChange).toLowerCase()}`,
      risksText: (deal.risks ?? []).join('; '),
      nextStepText: deal.nextStep ?? '',
      actionText: deal.nextAction ? `${deal.nextAction.action}: ${deal.nextAction.why}` : '',
      ownerText: deal.owner ?? '',
      accountStage: [deal.accountName, deal.stage].filter(Boolean).join(' · '),
    }));
  }

  get omittedDeals() {
    const omitted = this.content.omitted?.deals ?? 0;
    return omitted > 0
      ? `${plural(omitted, 'healthier deal')} not listed: the review keeps the riskiest deals that fit.`
      : '';
  }

  get omittedSteps() {
    const omitted = this.content.omitted?.nextSteps ?? 0;
    return omitted > 0 ? `And ${plural(omitted, 'more step')} in each rep's action queue.` : '';
  }

  get noFocus() {
    return this.focus.length === 0;
  }

  get noCloseOut() {
    return this.closeOut.length === 0;
  }

  get noHelpNeeded() {
    return this.helpNeeded.length === 0;
  }

  get noNextSteps() {
    return this.nextSteps.length === 0;
  }

  get noKeyRisks() {
    return this.keyRisks.length === 0;
  }

  get noDeals() {
    return this.deals.length === 0;
  }

  get cannotExport() {
    return !this.hasReview;
  }

  handleChoice(event) {
    if (event.detail.value === this.selectedId) return;
    this.reviewLoading = true;
    this.reviewError = undefined;
    this.selectedId = event.detail.value;
  }

  handleOpen(event) {
    openRecordLink(this, event);
  }

  handlePrint() {
    window.print();
  }

  /** The deals with their next steps as a CSV file the browser downloads. */
  handleExport() {
    const csv = reviewCsv(this.content.deals ?? []);
    const link = document.createElement('a');
    // A byte order mark, so Excel reads the names' accents as UTF-8.
    link.href = `data:text/csv;charset=utf-8,${encodeURIComponent(`\uFEFF${csv}`)}`;
    const who = (this.heading ?? 'review').replace(/[^A-Za-z0-9]+/g, '-').replace(/^-|-$/g, '');
    link.download = `weekly-review-${who}-${this.review.weekStart}.csv`;
    link.click();
  }
}
