import { LightningElement, wire } from 'lwc';
import { NavigationMixin } from 'lightning/navigation';
import getHygieneList from '@salesforce/apex/OpportunityRiskController.getHygieneList';
import { riskLevel } from 'c/riskFormat';
import { LoadingPanel, openRecordLink } from 'c/ldsUtils';

/** A flagged deal as the list shows it: its risk in words, each flag and each piece of evidence keyed. */
function toListItem(deal) {
  return {
    ...deal,
    url: `/${deal.opportunityId}`,
    riskLabel:
      deal.score === null || deal.score === undefined
        ? 'Not scored'
        : `Risk ${deal.score}, ${riskLevel(deal.riskLevel).label.toLowerCase()}`,
    flagItems: deal.flags.map((flag) => ({ ...flag, key: `${deal.opportunityId}-${flag.signal}` })),
    detailItems: deal.hygieneDetails.map((text, index) => ({
      key: `${deal.opportunityId}-detail-${index}`,
      text,
    })),
  };
}

/** What the panel says while it loads, when loading failed, and when it is empty. */
const MESSAGES = {
  loading: 'Loading your pipeline hygiene',
  error: 'Could not load your pipeline hygiene list',
  empty: 'Your open deals are in good shape: no hygiene flags.',
};

/** The rep's open deals that break a hygiene rule, riskiest first, each flag with what to do about it. */
export default class HygieneList extends LoadingPanel(NavigationMixin(LightningElement), {
  field: 'deals',
  messages: MESSAGES,
}) {
  deals = [];

  @wire(getHygieneList)
  wiredDeals(result) {
    this.takeWired(result, (data) => data.map(toListItem));
  }

  get title() {
    return this.deals.length > 0 ? `Pipeline hygiene (${this.deals.length})` : 'Pipeline hygiene';
  }

  handleOpen(event) {
    openRecordLink(this, event);
  }
}
