import { LightningElement, wire } from 'lwc';
import { NavigationMixin } from 'lightning/navigation';
import getTeamRisk from '@salesforce/apex/OpportunityRiskController.getTeamRisk';
import { riskLevel, trendText } from 'c/riskFormat';
import { LoadingPanel, openRecordLink } from 'c/ldsUtils';

const TOP_FACTORS = 3;

/**
 * The table's columns, the ones a manager reads first leading. Stage rides under the deal's name and
 * the trend under its score, so seven columns fit a Home page region at 1280 px without scrolling.
 * An SLDS table rather than lightning-datatable: the datatable gives text cells no title, so a cut
 * value could not be read on hover without a custom cell type, and its widths are pixels, not shares
 * of the region (fixed pixels either overflow at 1280 px or waste a wide screen).
 */
const COLUMNS = [
  { label: 'Opportunity' },
  { label: 'Owner' },
  { label: 'Amount', headerClass: 'slds-text-align_right' },
  { label: 'Risk' },
  { label: 'Win chance' },
  { label: 'Why' },
  { label: 'Close date' },
];

/** The model's close probability (stored 0-100) as the fraction a percent shows. */
function winChance(deal) {
  const probability = deal.modelCloseProbability;
  return probability === null || probability === undefined ? undefined : probability / 100;
}

/** The week-over-week change in two words, for the line under the score (the full sentence is its title). */
function trendShort(trend, previousScore) {
  if (previousScore === null || previousScore === undefined) return 'New';
  if (!trend) return 'Same';
  return trend > 0 ? `Up ${trend}` : `Down ${Math.abs(trend)}`;
}

/** A team deal as a row of the table. */
function toRow(deal) {
  const level = riskLevel(deal.riskLevel).label;
  const scored = deal.score !== null && deal.score !== undefined;
  return {
    id: deal.opportunityId,
    url: `/${deal.opportunityId}`,
    name: deal.name,
    ownerName: deal.ownerName,
    stageName: deal.stageName,
    amount: deal.amount,
    closeDate: deal.closeDate,
    score: deal.score,
    scored,
    // A dash keeps the narrow column's row height; the title says it in words.
    scoreText: scored ? String(deal.score) : '–',
    level,
    riskTitle: scored ? `Risk ${deal.score}, ${level.toLowerCase()}` : 'Not scored yet',
    trendText: trendText(deal.trend, deal.previousScore),
    trendShort: trendShort(deal.trend, deal.previousScore),
    winChance: winChance(deal),
    topFactors: deal.factors.slice(0, TOP_FACTORS).join('; '),
    closeOut: deal.closeOutCandidate === true,
  };
}

/** What the panel says while it loads, when loading failed, and when it is empty. */
const MESSAGES = {
  loading: "Loading your team's deals",
  error: "Could not load your team's deals",
  empty: 'No open deals on your team. This panel lists the deals of the people who report to you.',
};

/** For managers before the pipeline review: the team's open deals by risk, with factors, trend and close-outs. */
export default class TeamRiskPanel extends LoadingPanel(NavigationMixin(LightningElement), {
  field: 'deals',
  messages: MESSAGES,
}) {
  columns = COLUMNS;
  deals = [];
  closeOutTitle = 'The scan proposes closing this deal out';

  @wire(getTeamRisk)
  wiredTeam(result) {
    this.takeWired(result, (data) => data.map(toRow));
  }

  get summary() {
    const high = this.deals.filter((deal) => deal.level === 'High').length;
    const closeOuts = this.deals.filter((deal) => deal.closeOut).length;
    return `${this.deals.length} open deals · ${high} at high risk · ${closeOuts} to close out`;
  }

  handleOpen(event) {
    openRecordLink(this, event);
  }
}
