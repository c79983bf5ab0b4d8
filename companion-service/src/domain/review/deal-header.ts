import type { PipelineOpportunity } from '../pipeline/records.js';

/** Which deal a line of an audit or a review is about, as a manager reads it. */
export interface DealHeader {
  opportunityId: string;
  name: string | null;
  owner: string | null;
  accountName: string | null;
  stage: string;
  amount: number | null;
  closeDate: string | null;
}

/** The header of a deal as the pipeline holds it. */
export function dealHeader(o: PipelineOpportunity): DealHeader {
  return {
    opportunityId: o.id,
    name: o.name,
    owner: o.owner,
    accountName: o.accountName,
    stage: o.stage,
    amount: o.amount,
    closeDate: o.closeDate,
  };
}
