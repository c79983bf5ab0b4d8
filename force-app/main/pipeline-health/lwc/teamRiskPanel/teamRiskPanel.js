import { LightningElement, wire } from 'lwc';
import getTeamRisk from '@salesforce/apex/OpportunityRiskController.getTeamRisk';
import { riskLevel, trendText } from 'c/riskFormat';
import { LoadingPanel } from 'c/ldsUtils';

const TOP_FACTORS = 3;
// Short values get fixed widths, so the deal, its stage and the reasons share the rest of the row.
const COLUMNS = [
  {
    label: 'Opportunity',
    fieldName: 'url',
    type: 'url',
    typeAttributes: { label: { fieldName: 'name' }, target: '_self' },
    wrapText: true,
  },
  { label: 'Owner', fieldName: 'ownerName', initialWidth: 100, wrapText: true },
  { label: 'Stage', fieldName: 'stageName', wrapText: true },
  { label: 'Amount', fieldName: 'amount', type: 'currency', initialWidth: 100 },
  { label: 'Close date', fieldName: 'closeDate', type: 'date-local', initialWidth: 100, wrapText: true },
  {
    label: 'Risk',
    fieldName: 'score',
    type: 'number',
    cellAttributes: { alignment: 'left' },
    initialWidth: 70,
  },
  { label: 'Trend', fieldName: 'trendText', initialWidth: 110, wrapText: true },
  {
    label: 'Win chance',
    fieldName: 'winChance',
    type: 'percent',
    cellAttributes: { alignment: 'left' },
    initialWidth: 95,
  },
  { label: 'Why', fieldName: 'topFactors', wrapText: true },
  { label: 'Close out?', fieldName: 'closeOut', initialWidth: 115 },
];

/** The model's close probability (stored 0-100) as the fraction a percent column shows. */
function winChance(deal) {
  const probability = deal.modelCloseProbability;
  return probability === null || probability === undefined ? undefined : probability / 100;
}

/** A team deal as a row of the table. */
function toRow(deal) {
  return {
    id: deal.opportunityId,
    url: `/${deal.opportunityId}`,
    name: deal.name,
    ownerName: deal.ownerName,
    stageName: deal.stageName,
    amount: deal.amount,
    closeDate: deal.closeDate,
    score: deal.score,
    level: riskLevel(deal.riskLevel).label,
    trendText: trendText(deal.trend, deal.previousScore),
    winChance: winChance(deal),
    topFactors: deal.factors.slice(0, TOP_FACTORS).join('; '),
    closeOut: deal.closeOutCandidate ? 'Yes' : '',
  };
}

/** What the panel says while it loads, when loading failed, and when it is empty. */
const MESSAGES = {
  loading: "Loading your team's deals",
  error: "Could not load your team's deals",
  empty: 'No open deals on your team. This panel lists the deals of the people who report to you.',
};

/** For managers before the pipeline review: the team's open deals by risk, with factors, trend and close-outs. */
export default class TeamRiskPanel extends LoadingPanel(LightningElement, {
  field: 'deals',
  messages: MESSAGES,
}) {
  columns = COLUMNS;
  deals = [];

  @wire(getTeamRisk)
  wiredTeam(result) {
    this.takeWired(result, (data) => data.map(toRow));
  }

  get summary() {
    const high = this.deals.filter((deal) => deal.level === 'High').length;
    const closeOuts = this.deals.filter((deal) => deal.closeOut).length;
    return `${this.deals.length} open deals · ${high} at high risk · ${closeOuts} to close out`;
  }
}
