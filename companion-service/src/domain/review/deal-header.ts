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
