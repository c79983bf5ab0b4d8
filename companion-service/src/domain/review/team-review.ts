import type { Finding } from '../hygiene/deal-signals.js';
import type { NextBestAction } from '../actions/next-best-action.js';
import type { ForecastCutoffs } from '../forecast/forecast-category.js';
import type { ConfidenceShares } from '../settings/pipeline-thresholds.js';
import { dayNumber } from '../hygiene/calendar-days.js';
import {
  closeOutCandidates,
  firstBy,
  focusDeals,
  type CloseOutCandidate,
  type DealReview,
  type DealStatus,
  type FocusDeal,
} from './weekly-review.js';

/**
 * The weekly deal review a manager holds with each rep and with the team, as seed 000 lays it out:
 * a status summary, how confident to be in the quarter and why, the key risks, where the manager's
 * help is needed, the next steps, the pipeline in figures (total, weighted, expected this month and
 * this quarter), the three deals to focus on and the deals to consider closing out. Built from the
 * weekly review of each deal (weekly-review.ts) and the action queue; every cut-off is a
 * Scribe_Setting__mdt value passed in.
 */

/** The shape's version, stored with it: a reader meeting a newer one says so instead of misreading it. */
export const REVIEW_CONTENT_VERSION = 1;

export type ConfidenceLevel = 'High' | 'Medium' | 'Low';
export type ReviewScope = 'Rep' | 'Team';

/** One open deal as the review reads it: its weekly review, the rules it meets, its owner's user id. */
export interface ReviewedDeal {
  review: DealReview;
  findings: readonly Finding[];
  /** What the rep wrote in Next Step. */
  nextStep: string | null;
  ownerId: string;
}

/** Who owns deals, and whom they report to: the team reviews group reps by manager. */
export interface ReviewOwner {
  userId: string;
  name: string | null;
  managerId: string | null;
  managerName: string | null;
}

export interface DealLine {
  opportunityId: string;
  name: string | null;
  accountName: string | null;
  owner: string | null;
  stage: string;
  amount: number | null;
  closeDate: string | null;
  status: DealStatus;
  confidence: ConfidenceLevel;
  /** 0..1, or null when neither the model, the record nor the stage gives one. */
  winChance: number | null;
  winChanceBasis: string | null;
  risk: number;
  riskChange: number | null;
  risks: string[];
  nextStep: string | null;
  /** The queue's first action on the deal. */
  nextAction: { action: string; why: string; dueDate: string | null } | null;
}

export interface PeriodFigures {
  start: string;
  end: string;
  deals: number;
  total: number;
  weighted: number;
}

export interface PipelineSummary {
  openDeals: number;
  total: number;
  /** Each amount times its win chance. */
  weighted: number;
  dealsWithoutAmount: number;
  thisMonth: PeriodFigures;
  thisQuarter: PeriodFigures;
}

export interface KeyRisk {
  signal: string;
  label: string;
  deals: number;
  amount: number;
  text: string;
}

export interface HelpNeeded {
  opportunityId: string;
  name: string | null;
  owner: string | null;
  amount: number | null;
  why: string;
}

export interface NextStepLine {
  opportunityId: string;
  name: string | null;
  owner: string | null;
  action: string;
  why: string;
  dueDate: string | null;
}

export interface RepLine {
  userId: string;
  name: string | null;
  openDeals: number;
  total: number;
  weighted: number;
  atRisk: number;
  closeOut: number;
  confidence: ConfidenceLevel;
}

export interface PipelineReview {
  version: number;
  scope: ReviewScope;
  /** The rep reviewed, or the manager whose team it is. */
  subject: { userId: string; name: string | null };
  /** A rep's manager, who reads the rep's review with the team's. */
  managerId: string | null;
  asOf: string;
  /** The Monday of the as-of week: one review per subject and week. */
  weekStart: string;
  statusSummary: string;
  confidence: { level: ConfidenceLevel; reasons: string[] };
  keyRisks: KeyRisk[];
  helpNeeded: HelpNeeded[];
  nextSteps: NextStepLine[];
  pipeline: PipelineSummary;
  focus: FocusDeal[];
  closeOut: CloseOutCandidate[];
  /** The team's reps, largest pipeline first; empty in a rep's review. */
  reps: RepLine[];
  /** Every open deal, riskiest first. */
  deals: DealLine[];
}

export interface ReviewContext {
  asOf: string;
  formatMoney: (amount: number) => string;
  medianAmount: number | null;
  /** A deal at or above the commit cut-off backs the quarter; below best case it is in doubt. */
  cutoffs: ForecastCutoffs;
  shares: ConfidenceShares;
}

const MS_PER_DAY = 86_400_000;
const isoOf = (day: number) => new Date(day * MS_PER_DAY).toISOString().slice(0, 10);
const percent = (share: number) => `${Math.round(share * 100)}%`;
const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;
const amountOf = (d: DealReview) => d.amount ?? 0;
/** Code-unit order: ids and dates are ASCII, and this is cheap on a team's hundred thousand deals. */
const byText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
const largestFirst = (a: DealReview, b: DealReview) =>
  amountOf(b) - amountOf(a) || byText(a.opportunityId, b.opportunityId);

/** How many deals a sentence names before "and n more". */
const NAMED = 3;
const winChanceOf = (d: DealReview) => d.confidence?.probability ?? null;

/** The Monday of the week a day falls in (day 0, 1970-01-01, was a Thursday). */
export function weekStartOf(asOf: string): string {
  const day = dayNumber(asOf)!;
  return isoOf(day - ((((day + 3) % 7) + 7) % 7));
}

/**
 * The as-of date's calendar month and quarter. Calendar quarters: the org's fiscal year settings are
 * not read by the scan, and most orgs' fiscal quarters are the calendar's.
 */
export function periodsOf(asOf: string): { month: [string, string]; quarter: [string, string] } {
  const year = Number(asOf.slice(0, 4));
  const month = Number(asOf.slice(5, 7));
  const lastDay = (y: number, m: number) =>
    isoOf(dayNumber(`${m === 12 ? y + 1 : y}-${pad(m === 12 ? 1 : m + 1)}-01`)! - 1);
  const quarterFirst = month - ((month - 1) % 3);
  return {
    month: [`${year}-${pad(month)}-01`, lastDay(year, month)],
    quarter: [`${year}-${pad(quarterFirst)}-01`, lastDay(year, quarterFirst + 2)],
  };
}
const pad = (n: number) => String(n).padStart(2, '0');

/**
 * How far a deal backs its quarter. High: the win chance reaches the commit cut-off and no risk is
 * being watched. Low: at risk, to close out, below the best-case cut-off, or no win chance at all.
 */
export function dealConfidence(d: DealReview, cutoffs: ForecastCutoffs): ConfidenceLevel {
  const chance = winChanceOf(d);
  if (d.status === 'At risk' || d.status === 'Close out' || chance === null || chance < cutoffs.bestCase)
    return 'Low';
  return d.status === 'On track' && chance >= cutoffs.commit ? 'High' : 'Medium';
}

function period(deals: readonly DealReview[], [start, end]: [string, string]): PeriodFigures {
  const inside = deals.filter((d) => d.closeDate !== null && d.closeDate >= start && d.closeDate <= end);
  return {
    start,
    end,
    deals: inside.length,
    total: sum(inside, amountOf),
    weighted: sum(inside, weightedOf),
  };
}
const weightedOf = (d: DealReview) => amountOf(d) * (winChanceOf(d) ?? 0);
const sum = <T>(items: readonly T[], of: (item: T) => number) => items.reduce((n, i) => n + of(i), 0);

function pipelineSummary(deals: readonly DealReview[], asOf: string): PipelineSummary {
  const { month, quarter } = periodsOf(asOf);
  return {
    openDeals: deals.length,
    total: sum(deals, amountOf),
    weighted: sum(deals, weightedOf),
    dealsWithoutAmount: deals.filter((d) => d.amount === null).length,
    thisMonth: period(deals, month),
    thisQuarter: period(deals, quarter),
  };
}

/** Why a doubtful deal is in doubt, in a few words. */
function doubtOf(d: DealReview, cutoffs: ForecastCutoffs): string {
  if (d.status === 'Close out') return 'to close out';
  if (d.status === 'At risk') return `at risk, ${d.risk}/100`;
  const chance = winChanceOf(d);
  return chance === null
    ? 'no win chance known'
    : `${percent(chance)} win chance, below ${percent(cutoffs.bestCase)}`;
}

/**
 * How sure to be of the quarter: the share of the amount expected to close this quarter that deals
 * back (High at `shares.high`) or put in doubt (Low at `shares.low`), with the reasons a manager
 * would check. Deals without an amount count one each when no deal this quarter has an amount.
 */
export function quarterConfidence(
  deals: readonly DealReview[],
  ctx: ReviewContext,
): { level: ConfidenceLevel; reasons: string[] } {
  const { quarter } = periodsOf(ctx.asOf);
  const inQuarter = deals.filter(
    (d) => d.closeDate !== null && d.closeDate >= quarter[0] && d.closeDate <= quarter[1],
  );
  if (inQuarter.length === 0) {
    return {
      level: 'Low',
      reasons: [
        `No open deal is expected to close this quarter (close dates ${quarter[0]} to ${quarter[1]}).`,
      ],
    };
  }
  const total = sum(inQuarter, amountOf);
  const weightOf = total > 0 ? amountOf : () => 1;
  const whole = total > 0 ? total : inQuarter.length;
  const levels = new Map(inQuarter.map((d) => [d.opportunityId, dealConfidence(d, ctx.cutoffs)]));
  const backed = inQuarter.filter((d) => levels.get(d.opportunityId) === 'High');
  const doubtful = inQuarter.filter((d) => levels.get(d.opportunityId) === 'Low');
  const backedShare = sum(backed, weightOf) / whole;
  const doubtfulShare = sum(doubtful, weightOf) / whole;
  const level: ConfidenceLevel =
    backedShare >= ctx.shares.high ? 'High' : doubtfulShare >= ctx.shares.low ? 'Low' : 'Medium';

  const of = (share: number, items: readonly DealReview[]) =>
    total > 0
      ? `${ctx.formatMoney(sum(items, amountOf))} of ${ctx.formatMoney(total)} (${percent(share)})`
      : `${items.length} of ${inQuarter.length} deals (${percent(share)})`;
  const reasons = [
    `${of(backedShare, backed)} expected this quarter is in deals with a win chance of ${percent(ctx.cutoffs.commit)} or more and no risk to watch; High needs ${percent(ctx.shares.high)}.`,
  ];
  if (doubtful.length > 0) {
    const named = firstBy(doubtful, largestFirst, NAMED)
      .map((d) => `${d.name ?? d.opportunityId} (${doubtOf(d, ctx.cutoffs)})`)
      .join(', ');
    const more = doubtful.length > NAMED ? ` and ${plural(doubtful.length - NAMED, 'more deal')}` : '';
    reasons.push(
      `${of(doubtfulShare, doubtful)} is in doubt: ${named}${more}; Low at ${percent(ctx.shares.low)}.`,
    );
  }
  const notModelled = inQuarter.filter((d) => d.confidence?.basis !== 'forecast model').length;
  if (notModelled > 0) {
    reasons.push(
      `${notModelled} of ${plural(inQuarter.length, 'win chance')} come from the record or the stage, not the forecast model.`,
    );
  }
  const rose = inQuarter.filter((d) => (d.trend.change ?? 0) > 0).length;
  if (rose > 0) reasons.push(`Risk rose this week on ${rose} of these deals.`);
  return { level, reasons };
}

function statusSummary(
  scope: ReviewScope,
  name: string | null,
  deals: readonly DealReview[],
  reps: number,
  ctx: ReviewContext,
): string {
  const who =
    scope === 'Team' ? `${name ?? 'The manager'}'s team (${plural(reps, 'rep')})` : (name ?? 'This rep');
  if (deals.length === 0) return `${who}: no open deals.`;
  const count = (status: DealStatus) => deals.filter((d) => d.status === status).length;
  const line =
    `${who}: ${plural(deals.length, 'open deal')} worth ${ctx.formatMoney(sum(deals, amountOf))}; ` +
    `${count('At risk')} at risk, ${count('Watch')} to watch, ${count('On track')} on track, ` +
    `${count('Close out')} to close out.`;
  const judged = deals.filter((d) => d.trend.change !== null);
  if (judged.length === 0) return line;
  const rose = judged.filter((d) => d.trend.change! > 0).length;
  const fell = judged.filter((d) => d.trend.change! < 0).length;
  return rose + fell === 0
    ? `${line} No deal's risk moved since last week.`
    : `${line} Since last week risk rose on ${plural(rose, 'deal')} and fell on ${plural(fell, 'deal')}.`;
}

/** The rules most deals meet, by the amount they put at risk. */
function keyRisks(deals: readonly ReviewedDeal[], ctx: ReviewContext): KeyRisk[] {
  const bySignal = new Map<string, { label: string; deals: DealReview[] }>();
  for (const { review, findings } of deals) {
    for (const f of findings) {
      const entry = bySignal.get(f.signal) ?? { label: f.label, deals: [] };
      entry.deals.push(review);
      bySignal.set(f.signal, entry);
    }
  }
  return [...bySignal.entries()]
    .map(([signal, { label, deals: hit }]) => {
      const amount = sum(hit, amountOf);
      const listed =
        firstBy(hit, largestFirst, NAMED)
          .map((d) => d.name ?? d.opportunityId)
          .join(', ') + (hit.length > NAMED ? ', …' : '');
      return {
        signal,
        label,
        deals: hit.length,
        amount,
        text: `${label}: ${plural(hit.length, 'deal')}, ${ctx.formatMoney(amount)} (${listed})`,
      };
    })
    .sort((a, b) => b.amount - a.amount || b.deals - a.deals || byText(a.signal, b.signal));
}

/** Deals whose rules ask for escalation (Risk_Rule__mdt.Recommended_Action__c): the manager's hand. */
function helpNeeded(deals: readonly ReviewedDeal[]): HelpNeeded[] {
  return deals
    .flatMap(({ review, findings }) => {
      const escalate = findings.filter((f) => f.action === 'Escalate');
      if (escalate.length === 0) return [];
      return [
        {
          opportunityId: review.opportunityId,
          name: review.name,
          owner: review.owner,
          amount: review.amount,
          why: escalate.map((f) => f.evidence).join('; '),
        },
      ];
    })
    .sort((a, b) => (b.amount ?? 0) - (a.amount ?? 0) || byText(a.opportunityId, b.opportunityId));
}

function dealLine(d: ReviewedDeal, first: NextBestAction | undefined, cutoffs: ForecastCutoffs): DealLine {
  const r = d.review;
  return {
    opportunityId: r.opportunityId,
    name: r.name,
    accountName: r.accountName,
    owner: r.owner,
    stage: r.stage,
    amount: r.amount,
    closeDate: r.closeDate,
    status: r.status,
    confidence: dealConfidence(r, cutoffs),
    winChance: winChanceOf(r),
    winChanceBasis: r.confidence?.basis ?? null,
    risk: r.risk,
    riskChange: r.trend.change,
    risks: r.risks,
    nextStep: d.nextStep,
    nextAction: first ? { action: first.action, why: first.why, dueDate: first.dueDate } : null,
  };
}

/** One review: a rep's deals, or a team's. `actions` may hold other deals' actions; only these deals' count. */
export function reviewOf(
  scope: ReviewScope,
  subject: { userId: string; name: string | null },
  managerId: string | null,
  deals: readonly ReviewedDeal[],
  actions: readonly NextBestAction[],
  ctx: ReviewContext,
  reps: readonly ReviewOwner[] = [],
): PipelineReview {
  const reviews = deals.map((d) => d.review);
  const ids = new Set(reviews.map((d) => d.opportunityId));
  const findings = new Map(deals.map((d) => [d.review.opportunityId, d.findings]));
  const steps = actions
    .filter((a) => ids.has(a.opportunityId))
    .sort((a, b) => b.priority - a.priority || a.rank - b.rank || byText(a.opportunityId, b.opportunityId));
  const firstAction = new Map<string, NextBestAction>();
  for (const a of steps) if (!firstAction.has(a.opportunityId)) firstAction.set(a.opportunityId, a);
  return {
    version: REVIEW_CONTENT_VERSION,
    scope,
    subject,
    managerId,
    asOf: ctx.asOf,
    weekStart: weekStartOf(ctx.asOf),
    statusSummary: statusSummary(scope, subject.name, reviews, reps.length, ctx),
    confidence: quarterConfidence(reviews, ctx),
    keyRisks: keyRisks(deals, ctx),
    helpNeeded: helpNeeded(deals),
    nextSteps: steps.map((a) => ({
      opportunityId: a.opportunityId,
      name: a.opportunityName,
      owner: a.owner,
      action: a.action,
      why: a.why,
      dueDate: a.dueDate,
    })),
    pipeline: pipelineSummary(reviews, ctx.asOf),
    focus: focusDeals(reviews, ctx.formatMoney, ctx.medianAmount),
    closeOut: closeOutCandidates(
      reviews,
      (id) => findings.get(id)!.find((f) => f.action === 'Close Out')!.evidence,
      dayNumber(ctx.asOf)!,
    ),
    reps: repLines(reps, deals, ctx),
    deals: deals.map((d) => dealLine(d, firstAction.get(d.review.opportunityId), ctx.cutoffs)),
  };
}

/** The team's reps, each with their own figures, largest pipeline first. */
function repLines(
  reps: readonly ReviewOwner[],
  deals: readonly ReviewedDeal[],
  ctx: ReviewContext,
): RepLine[] {
  const byOwner = new Map<string, DealReview[]>();
  for (const d of deals) {
    const own = byOwner.get(d.ownerId);
    if (own) own.push(d.review);
    else byOwner.set(d.ownerId, [d.review]);
  }
  return reps
    .map((rep) => {
      const own = byOwner.get(rep.userId) ?? [];
      return {
        userId: rep.userId,
        name: rep.name,
        openDeals: own.length,
        total: sum(own, amountOf),
        weighted: sum(own, weightedOf),
        atRisk: own.filter((d) => d.status === 'At risk').length,
        closeOut: own.filter((d) => d.status === 'Close out').length,
        confidence: quarterConfidence(own, ctx).level,
      };
    })
    .sort((a, b) => b.total - a.total || byText(a.userId, b.userId));
}

/** A review the org holds for the week, by whom it is about. */
export interface HeldReview {
  scope: ReviewScope;
  userId: string;
}

/**
 * Every review of one scan: one per rep who owns an open deal, and one per manager of such reps (the
 * team: the reps who report to the manager, as the team risk panel reads it). A review the org holds
 * for the week whose rep (or team) has no open deal left is written again, empty, so it does not go on
 * showing deals that closed since.
 */
export function pipelineReviews(
  deals: readonly ReviewedDeal[],
  actions: readonly NextBestAction[],
  owners: ReadonlyMap<string, ReviewOwner>,
  ctx: ReviewContext,
  held: readonly HeldReview[] = [],
): PipelineReview[] {
  const byOwner = new Map<string, ReviewedDeal[]>();
  const ownerOf = new Map<string, string>();
  for (const d of deals) {
    const own = byOwner.get(d.ownerId);
    if (own) own.push(d);
    else byOwner.set(d.ownerId, [d]);
    ownerOf.set(d.review.opportunityId, d.ownerId);
  }
  const actionsOf = new Map<string, NextBestAction[]>();
  for (const a of actions) {
    const ownerId = ownerOf.get(a.opportunityId);
    if (ownerId === undefined) continue;
    const list = actionsOf.get(ownerId);
    if (list) list.push(a);
    else actionsOf.set(ownerId, [a]);
  }
  const out: PipelineReview[] = [];
  const teams = new Map<string, { name: string | null; reps: ReviewOwner[] }>();
  for (const [ownerId, own] of [...byOwner].sort(([a], [b]) => byText(a, b))) {
    const owner = owners.get(ownerId);
    const name = owner?.name ?? own[0]!.review.owner;
    const managerId = owner?.managerId ?? null;
    out.push(reviewOf('Rep', { userId: ownerId, name }, managerId, own, actionsOf.get(ownerId) ?? [], ctx));
    if (managerId) {
      const team = teams.get(managerId) ?? { name: owner!.managerName, reps: [] };
      team.reps.push({ ...owner!, name });
      teams.set(managerId, team);
    }
  }
  for (const [managerId, team] of teams) {
    const members = team.reps.map((r) => r.userId);
    out.push(
      reviewOf(
        'Team',
        { userId: managerId, name: team.name },
        null,
        members.flatMap((id) => byOwner.get(id)!),
        members.flatMap((id) => actionsOf.get(id) ?? []),
        ctx,
        team.reps,
      ),
    );
  }
  const written = new Set(out.map((r) => `${r.scope}:${r.subject.userId}`));
  for (const { scope, userId } of held) {
    if (written.has(`${scope}:${userId}`)) continue;
    written.add(`${scope}:${userId}`);
    const person = owners.get(userId);
    out.push(
      reviewOf(
        scope,
        { userId, name: person?.name ?? null },
        scope === 'Rep' ? (person?.managerId ?? null) : null,
        [],
        [],
        ctx,
      ),
    );
  }
  return out;
}
