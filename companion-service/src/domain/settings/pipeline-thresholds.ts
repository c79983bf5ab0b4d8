import { z } from 'zod';
import type { ForecastCutoffs } from '../forecast/forecast-category.js';

/**
 * The numbers behind the pipeline's judgements that sales ops tune in the Default Scribe_Setting__mdt
 * record: the forecast category cut-offs, how urgency and silence weigh in the action queue, how long
 * a conversation's signals last and the weekly review's bands. There are no defaults here: the package
 * ships them once, in its record, and a record without one fails the load instead of judging deals on
 * a number nobody chose. (The risk bands of the panels are read by Apex alone, in ScribeConfigSelector.)
 */

const score = z.number().int().min(1).max(100);
const probability = z.number().gt(0).lt(1);
/** A share of an amount, 0..1; a share of 1 is met only when all of it is. */
const share = z.number().gt(0).max(1);
const days = z.number().int().min(0).max(3650);

export const ThresholdsRecordSchema = z
  .object({
    commitProbability: probability,
    bestCaseProbability: probability,
    actionDueSoonDays: days,
    actionDueThisWeekDays: days,
    actionFullSilenceDays: days.min(1),
    recentConversationDays: days.min(1),
    reviewAtRiskScore: score,
    reviewWatchScore: score,
    reviewHighConfidenceShare: share,
    reviewLowConfidenceShare: share,
  })
  .superRefine((t, ctx) => {
    const below = (lower: keyof typeof t, upper: keyof typeof t, what: string, orEqual = false) => {
      if (orEqual ? t[lower] > t[upper] : t[lower] >= t[upper]) {
        ctx.addIssue({
          code: 'custom',
          path: [lower],
          message: `must be ${orEqual ? 'at most' : 'below'} ${what} (${t[upper]})`,
        });
      }
    };
    below('bestCaseProbability', 'commitProbability', 'the commit probability');
    below('actionDueSoonDays', 'actionDueThisWeekDays', 'the due-this-week days', true);
    below('reviewWatchScore', 'reviewAtRiskScore', 'the at-risk score');
    // Both bars met at once would make a quarter High and Low together.
    if (t.reviewHighConfidenceShare + t.reviewLowConfidenceShare > 1 + Number.EPSILON) {
      ctx.addIssue({
        code: 'custom',
        path: ['reviewLowConfidenceShare'],
        message: `must be at most 1 minus the high-confidence share (${t.reviewHighConfidenceShare}), or a quarter could be High and Low confidence at once`,
      });
    }
  });
export type ThresholdsRecord = z.infer<typeof ThresholdsRecordSchema>;

/** When a next step counts as due, and after how many quiet days silence weighs fully, in the action queue. */
export interface ActionTiming {
  dueSoonDays: number;
  dueThisWeekDays: number;
  fullSilenceDays: number;
}

/** Risk at or above these reads as "at risk" and "watch" in the weekly review. */
export interface ReviewBands {
  atRisk: number;
  watch: number;
}

/**
 * How sure to be of a rep's or a team's quarter: High when at least `high` of the amount expected to
 * close this quarter is in deals the signals back, Low when at least `low` of it is in doubtful deals.
 */
export interface ConfidenceShares {
  high: number;
  low: number;
}

export interface PipelineThresholds {
  forecastCutoffs: ForecastCutoffs;
  actionTiming: ActionTiming;
  /** How many days back a conversation's competitor or price objection still flags the deal. */
  recentConversationDays: number;
  reviewBands: ReviewBands;
  reviewConfidence: ConfidenceShares;
}

export function buildThresholds(record: ThresholdsRecord): PipelineThresholds {
  return {
    forecastCutoffs: { commit: record.commitProbability, bestCase: record.bestCaseProbability },
    actionTiming: {
      dueSoonDays: record.actionDueSoonDays,
      dueThisWeekDays: record.actionDueThisWeekDays,
      fullSilenceDays: record.actionFullSilenceDays,
    },
    recentConversationDays: record.recentConversationDays,
    reviewBands: { atRisk: record.reviewAtRiskScore, watch: record.reviewWatchScore },
    reviewConfidence: { high: record.reviewHighConfidenceShare, low: record.reviewLowConfidenceShare },
  };
}
