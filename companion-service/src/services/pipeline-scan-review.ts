import type { PipelineAudit } from '../domain/review/pipeline-audit.js';
import type { PipelineRules } from '../domain/hygiene/pipeline-rules.js';
import { AmountScale } from '../domain/actions/next-best-action.js';
import { pipelineReviews, weekStartOf, type ReviewedDeal } from '../domain/review/team-review.js';
import type { SalesforceApi } from '../adapters/salesforce/salesforce-client.js';
import { SalesforceApiError } from '../adapters/salesforce/salesforce-client.js';
import type { RecordWrite } from '../adapters/salesforce/pipeline-write.js';
import {
  readHeldReviews,
  readReviewOwners,
  reviewWrite,
} from '../adapters/salesforce/pipeline-review-records.js';

/**
 * The weekly deal reviews a full scan writes: one per rep who owns an open deal and one per manager
 * of such reps, each the week's Pipeline_Review__c (upserted by Review_Key__c, so the last scan of a
 * week leaves that week's review and earlier weeks stay as they were). A review whose content is what
 * the org holds is not written again. Re-scoring single deals writes none: it sees only those deals.
 */

export interface ReviewPlan {
  writes: RecordWrite[];
  /** Reviews computed, written or not. */
  reviews: number;
  /** Why no review was planned, for the scan report's skipped list. */
  skipped: string | null;
}

export interface ReviewPlanInput {
  audit: PipelineAudit;
  /** Each deal's Next Step as of the scan's day. */
  nextSteps: ReadonlyMap<string, string | null>;
  rules: PipelineRules;
  /** Each deal's OwnerId (pipeline-read.ts). */
  ownerIds: ReadonlyMap<string, string>;
  asOf: string;
  runId: string;
  computedAt: string;
  formatMoney: (amount: number) => string;
}

/** An org on a package version before the review object answers its query with INVALID_TYPE. */
const NOT_INSTALLED = new Set(['INVALID_TYPE', 'INVALID_FIELD']);

export async function planReviewWrites(api: SalesforceApi, input: ReviewPlanInput): Promise<ReviewPlan> {
  const { audit, asOf } = input;
  const findings = new Map(audit.deals.map((d) => [d.opportunityId, d.findings]));
  const deals: ReviewedDeal[] = audit.review.deals.flatMap((review) => {
    const ownerId = input.ownerIds.get(review.opportunityId);
    if (!ownerId) return [];
    return [
      {
        review,
        findings: findings.get(review.opportunityId) ?? [],
        nextStep: input.nextSteps.get(review.opportunityId) ?? null,
        ownerId,
      },
    ];
  });
  let held: Awaited<ReturnType<typeof readHeldReviews>>;
  let owners;
  try {
    held = await readHeldReviews(api, weekStartOf(asOf));
    const people = new Set([...deals.map((d) => d.ownerId), ...[...held.values()].map((h) => h.userId)]);
    owners = await readReviewOwners(api, people);
  } catch (error) {
    if (error instanceof SalesforceApiError && NOT_INSTALLED.has(error.errorCode)) {
      return {
        writes: [],
        reviews: 0,
        skipped: `Pipeline_Review__c: not in this org or not readable by the integration user (install the current package version and assign Pipeline_Scribe_Integration): ${error.message}`,
      };
    }
    throw error;
  }
  const reviews = pipelineReviews(
    deals,
    audit.queues.flatMap((q) => q.actions),
    owners,
    {
      asOf,
      formatMoney: input.formatMoney,
      medianAmount: new AmountScale(audit.review.deals.map((d) => d.amount)).median,
      cutoffs: input.rules.thresholds.forecastCutoffs,
      shares: input.rules.thresholds.reviewConfidence,
    },
    [...held.values()],
  );
  const writes = reviews
    .map((review) => reviewWrite(review, input.runId, input.computedAt))
    .filter((w) => held.get(w.key)?.hash !== w.fields.Content_Hash__c);
  return { writes, reviews: reviews.length, skipped: null };
}
