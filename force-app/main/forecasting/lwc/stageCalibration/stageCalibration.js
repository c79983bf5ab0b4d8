import { LightningElement, wire } from 'lwc';
import { refreshApex } from '@salesforce/apex';
import { NavigationMixin } from 'lightning/navigation';
import getLatestCalibration from '@salesforce/apex/StageCalibrationController.getLatestCalibration';
import { LoadingPanel } from 'c/ldsUtils';

/** Where sales ops edit the stage rules: the custom metadata types list in Setup (no org-specific id). */
const CUSTOM_METADATA_SETUP = '/lightning/setup/CustomMetadata/home';

const isNumber = (value) => typeof value === 'number' && !Number.isNaN(value);

/**
 * A stored percent (61.25 means 61.25%) as a whole percent: the intervals are several points wide, so
 * decimals would claim a precision the data does not have.
 */
function wholePercent(value) {
  return isNumber(value) ? Math.round(value) : undefined;
}

function percentText(value) {
  const whole = wholePercent(value);
  return whole === undefined ? '' : `${whole}%`;
}

function intervalText(stage) {
  const [low, high] = [wholePercent(stage.intervalLow), wholePercent(stage.intervalHigh)];
  return low === undefined || high === undefined ? '' : `${low}–${high}%`;
}

/** What the stage's numbers say, in the words sales ops use: "says 90%, closes 61% of the time (n=120, 52–69%)". */
function stageVerdict(stage) {
  if (!stage.sampleSize || !isNumber(stage.realizedWinRate)) {
    return `Says ${percentText(stage.statedProbability)}; no closed deals have reached this stage yet`;
  }
  const interval = intervalText(stage);
  const evidence = interval ? `n=${stage.sampleSize}, ${interval}` : `n=${stage.sampleSize}`;
  return `Says ${percentText(stage.statedProbability)}, closes ${percentText(stage.realizedWinRate)} of the time (${evidence})`;
}

/**
 * Whether the stated probability is believable: inside the realized rate's interval it is about right;
 * above it the stage promises too much, below it too little. Too few deals and no judgement is made.
 */
function stageJudgement(stage) {
  if (!stage.hasEnoughData) return 'Not enough data';
  const [stated, low, high] = [stage.statedProbability, stage.intervalLow, stage.intervalHigh].map(
    wholePercent,
  );
  if (stated === undefined || low === undefined || high === undefined) return 'Not enough data';
  if (stated > high) return 'Too optimistic';
  if (stated < low) return 'Too cautious';
  return 'About right';
}

/** The model against always guessing the base rate, on the same deals: lower Brier is better. */
function modelVerdict(report) {
  const { modelBrierScore: model, baseRateBrierScore: baseline } = report;
  if (!isNumber(model) || !isNumber(baseline) || baseline === 0) return '';
  const change = Math.round(((baseline - model) / baseline) * 100);
  if (change === 0) return 'as good as always guessing the base rate';
  return change > 0
    ? `${change}% better than always guessing the base rate`
    : `${-change}% worse than always guessing the base rate`;
}

const score = (value) => (isNumber(value) ? value.toFixed(3) : '');

/** What the panel says while it loads, when loading failed. */
const MESSAGES = {
  loading: 'Loading the stage calibration report',
  error: 'Could not load the stage calibration report',
};

/**
 * For sales ops and admins: each stage's stated probability against how often its deals close, the
 * interval, the sample size, the service's suggested probability and a verdict in words; and how the
 * forecast model scored against the base rate. The companion service writes the report with each scan.
 */
export default class StageCalibration extends LoadingPanel(NavigationMixin(LightningElement), {
  field: 'report',
  messages: MESSAGES,
}) {
  report;
  isRefreshing = false;

  @wire(getLatestCalibration)
  wiredCalibration(result) {
    this.takeWired(result);
  }

  /** Before the first scan Apex answers with no run; the panel then says how to produce one. */
  get hasContent() {
    return Boolean(this.report?.runId) && this.report.stages.length > 0;
  }

  get stages() {
    return this.report.stages.map((stage) => {
      const ruleChanged =
        isNumber(stage.ruleProbability) &&
        wholePercent(stage.ruleProbability) !== wholePercent(stage.statedProbability);
      return {
        key: stage.stageName,
        stageName: stage.stageName,
        stated: percentText(stage.statedProbability),
        ruleNow: ruleChanged ? `Stage rule now says ${percentText(stage.ruleProbability)}` : '',
        realized: stage.sampleSize ? percentText(stage.realizedWinRate) : '',
        interval: stage.sampleSize ? intervalText(stage) : '',
        sampleSize: stage.sampleSize ?? 0,
        suggested: stage.hasEnoughData ? percentText(stage.suggestedProbability) : '',
        verdict: stageVerdict(stage),
        judgement: stageJudgement(stage),
        note: stage.note,
        rowClass: stage.hasEnoughData ? 'stage' : 'stage not-enough-data slds-text-color_weak',
      };
    });
  }

  get modelBrier() {
    return score(this.report.modelBrierScore);
  }

  get baseRateBrier() {
    return score(this.report.baseRateBrierScore);
  }

  get calibrationError() {
    return score(this.report.modelCalibrationError);
  }

  get modelComparison() {
    return modelVerdict(this.report);
  }

  get hasModelScores() {
    return this.modelBrier !== '' && this.baseRateBrier !== '';
  }

  get baseWinRate() {
    return percentText(this.report.baseWinRate);
  }

  async handleRefresh() {
    this.isRefreshing = true;
    try {
      await refreshApex(this.wiredResult);
    } finally {
      this.isRefreshing = false;
    }
  }

  handleOpenStageRules() {
    this[NavigationMixin.Navigate]({
      type: 'standard__webPage',
      attributes: { url: CUSTOM_METADATA_SETUP },
    });
  }
}
