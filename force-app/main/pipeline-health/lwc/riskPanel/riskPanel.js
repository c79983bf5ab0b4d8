import { LightningElement, api, wire } from 'lwc';
import getOpportunityRisk from '@salesforce/apex/OpportunityRiskController.getOpportunityRisk';
import { riskLevel, trendText } from 'c/riskFormat';
import { LoadingPanel } from 'c/ldsUtils';

/** What the panel says while it loads, when loading failed, and when it is empty. */
const MESSAGES = {
  loading: 'Loading the deal risk',
  error: 'Could not load the deal risk',
  empty:
    'Not scored yet. Pipeline Scribe scores a deal after its next change or conversation, and every night.',
};

/** The deal's risk: score and trend, the factors behind it, hygiene flags with what to do, forecast figures. */
export default class RiskPanel extends LoadingPanel(LightningElement, { field: 'risk', messages: MESSAGES }) {
  @api recordId;

  risk;

  @wire(getOpportunityRisk, { opportunityId: '$recordId' })
  wiredRisk(result) {
    this.takeWired(result);
  }

  /** A deal not scored yet comes back with no score: the panel then says when it will be. */
  get hasContent() {
    return this.risk && this.risk.score !== null && this.risk.score !== undefined;
  }

  get level() {
    return riskLevel(this.risk?.riskLevel);
  }

  get scoreText() {
    return `Risk ${this.risk.score} of 100, ${this.level.label.toLowerCase()}`;
  }

  get trend() {
    return trendText(this.risk.trend, this.risk.previousScore);
  }

  get trendIcon() {
    if (!this.risk.trend) return 'utility:dash';
    return this.risk.trend > 0 ? 'utility:arrowup' : 'utility:arrowdown';
  }

  get factors() {
    return (this.risk.factors ?? []).map((text, index) => ({ key: `factor-${index}`, text }));
  }

  get flags() {
    return (this.risk.flags ?? []).map((flag) => ({ ...flag, key: flag.signal }));
  }

  get hasFlags() {
    return this.flags.length > 0;
  }

  get probability() {
    const value = this.risk.modelCloseProbability;
    return value === null || value === undefined ? undefined : value / 100;
  }

  get hasProbability() {
    return this.probability !== undefined;
  }

  get slipProbability() {
    const value = this.risk.slipProbability;
    return value === null || value === undefined ? undefined : value / 100;
  }

  get hasSlipProbability() {
    return this.slipProbability !== undefined;
  }

  /** The win probability's drivers as the scan wrote them, each with its effect in points. */
  get drivers() {
    return (this.risk.forecastDrivers ?? []).map((text, index) => ({ key: `driver-${index}`, text }));
  }
}
