import { beforeAll, describe, expect, it } from 'vitest';
import { loadPipelineRules } from '../../../src/adapters/metadata/package-metadata.js';
import type { PipelineRules } from '../../../src/domain/hygiene/pipeline-rules.js';
import type { Finding } from '../../../src/domain/hygiene/deal-signals.js';
import type { NextBestAction } from '../../../src/domain/actions/next-best-action.js';
import type { DealReview, DealStatus } from '../../../src/domain/review/weekly-review.js';
import { auditPipeline } from '../../../src/domain/review/pipeline-audit.js';
import {
  dealConfidence,
  periodsOf,
  pipelineReviews,
  quarterConfidence,
  reviewOf,
  weekStartOf,
  type ReviewContext,
  type ReviewedDeal,
  type ReviewOwner,
} from '../../../src/domain/review/team-review.js';
import { dataset, deal } from '../hygiene/pipeline-fixtures.js';

let rules: PipelineRules;
let ctx: ReviewContext;
const money = (n: number) => `$${Math.round(n).toLocaleString('en-US')}`;
const AS_OF = '2026-03-10';

beforeAll(async () => {
  rules = await loadPipelineRules();
  ctx = {
    asOf: AS_OF,
    formatMoney: money,
    medianAmount: null,
    cutoffs: rules.thresholds.forecastCutoffs,
    shares: rules.thresholds.reviewConfidence,
  };
});

/** A reviewed deal as weekly-review.ts makes one; `chance` is the win chance, 0..1. */
function reviewed(
  id: string,
  fields: {
    owner?: string;
    ownerId?: string;
    amount?: number | null;
    closeDate?: string | null;
    status?: DealStatus;
    risk?: number;
    change?: number | null;
    chance?: number | null;
    findings?: Partial<Finding>[];
    nextStep?: string | null;
  } = {},
): ReviewedDeal {
  const findings = (fields.findings ?? []).map((f): Finding => ({
    signal: 'Stale',
    rule: 'Risk_Rule__mdt.Stale',
    label: 'Stale',
    category: 'Hygiene',
    weight: 20,
    action: 'Re-engage',
    evidence: 'No activity for 21 days',
    facts: {},
    ...f,
  }));
  const review: DealReview = {
    opportunityId: id,
    name: `Deal ${id}`,
    owner: fields.owner ?? 'Ana Rep',
    accountName: `Account ${id}`,
    stage: 'Proposal/Price Quote',
    amount: fields.amount === undefined ? 10_000 : fields.amount,
    closeDate: fields.closeDate === undefined ? '2026-03-20' : fields.closeDate,
    status: fields.status ?? 'On track',
    confidence:
      fields.chance === null ? null : { probability: fields.chance ?? 0.8, basis: 'forecast model' },
    risk: fields.risk ?? 0,
    trend: { previous: null, change: fields.change ?? null, added: [], cleared: [] },
    risks: findings.map((f) => f.evidence),
    decisionPhase: null,
    lastTouch: null,
  };
  return { review, findings, nextStep: fields.nextStep ?? null, ownerId: fields.ownerId ?? '005ANA' };
}

describe('the review periods', () => {
  it('start each week on its Monday, and take the calendar month and quarter of the as-of day', () => {
    expect(weekStartOf('2026-03-10')).toBe('2026-03-09');
    expect(weekStartOf('2026-03-09')).toBe('2026-03-09');
    expect(weekStartOf('2026-03-08')).toBe('2026-03-02');
    expect(periodsOf('2026-03-10')).toEqual({
      month: ['2026-03-01', '2026-03-31'],
      quarter: ['2026-01-01', '2026-03-31'],
    });
    expect(periodsOf('2024-02-10').month).toEqual(['2024-02-01', '2024-02-29']);
    expect(periodsOf('2026-11-30').quarter).toEqual(['2026-10-01', '2026-12-31']);
  });
});

describe("a deal's confidence", () => {
  it('is High only on track at the commit cut-off, Low at risk, to close out or below best case', () => {
    const { commit, bestCase } = rules.thresholds.forecastCutoffs;
    const level = (status: DealStatus, chance: number | null) =>
      dealConfidence(reviewed('x', { status, chance }).review, rules.thresholds.forecastCutoffs);
    expect(level('On track', commit)).toBe('High');
    expect(level('Watch', commit)).toBe('Medium');
    expect(level('On track', (commit + bestCase) / 2)).toBe('Medium');
    expect(level('On track', bestCase - 0.01)).toBe('Low');
    expect(level('At risk', 0.95)).toBe('Low');
    expect(level('Close out', 0.95)).toBe('Low');
    expect(level('On track', null)).toBe('Low');
  });
});

describe("the quarter's confidence", () => {
  it('is High when the backed share of the quarter reaches the setting, with the figures as reasons', () => {
    const confidence = quarterConfidence(
      [
        reviewed('a', { amount: 70_000 }).review,
        reviewed('b', { amount: 30_000, status: 'Watch', chance: 0.5 }).review,
        reviewed('later', { amount: 500_000, closeDate: '2026-04-02', status: 'At risk' }).review,
      ],
      ctx,
    );
    expect(confidence.level).toBe('High');
    expect(confidence.reasons[0]).toBe(
      '$70,000 of $100,000 (70%) expected this quarter is in deals with a win chance of 70% or more and no risk to watch; High needs 60%.',
    );
  });

  it('is Low when enough of the quarter is in doubt, naming the doubtful deals largest first', () => {
    const confidence = quarterConfidence(
      [
        reviewed('a', { amount: 50_000 }).review,
        reviewed('b', { amount: 30_000, status: 'At risk', risk: 65, change: 15 }).review,
        reviewed('c', { amount: 20_000, chance: 0.2 }).review,
      ],
      ctx,
    );
    expect(confidence.level).toBe('Low');
    expect(confidence.reasons).toEqual([
      '$50,000 of $100,000 (50%) expected this quarter is in deals with a win chance of 70% or more and no risk to watch; High needs 60%.',
      '$50,000 of $100,000 (50%) is in doubt: Deal b (at risk, 65/100), Deal c (20% win chance, below 40%); Low at 40%.',
      'Risk rose this week on 1 of these deals.',
    ]);
  });

  it('is Medium in between, says when win chances are not the model’s, and Low with nothing this quarter', () => {
    const medium = quarterConfidence(
      [
        reviewed('a', { amount: 50_000 }).review,
        {
          ...reviewed('b', { amount: 50_000, status: 'Watch' }).review,
          confidence: { probability: 0.6, basis: 'stage default' },
        },
      ],
      ctx,
    );
    expect(medium.level).toBe('Medium');
    expect(medium.reasons).toContain(
      '1 of 2 win chances come from the record or the stage, not the forecast model.',
    );
    const none = quarterConfidence([reviewed('q2', { closeDate: '2026-05-01' }).review], ctx);
    expect(none).toEqual({
      level: 'Low',
      reasons: ['No open deal is expected to close this quarter (close dates 2026-01-01 to 2026-03-31).'],
    });
  });

  it('counts deals when none this quarter has an amount', () => {
    const confidence = quarterConfidence(
      [reviewed('a', { amount: null }).review, reviewed('b', { amount: null, status: 'At risk' }).review],
      ctx,
    );
    expect(confidence.reasons[0]).toMatch(/^1 of 2 deals \(50%\) expected this quarter/);
  });
});

describe("one rep's review", () => {
  const action = (opportunityId: string, rank: number, priority: number): NextBestAction => ({
    owner: 'Ana Rep',
    rank,
    opportunityId,
    opportunityName: `Deal ${opportunityId}`,
    accountName: null,
    action: 'Re-engage',
    priority,
    why: `Why ${opportunityId}`,
    rules: [],
    dueDate: null,
  });

  it('holds every section: summary, risks, help needed, next steps, figures, focus and close-out', () => {
    const deals = [
      reviewed('big', {
        amount: 120_000,
        status: 'At risk',
        risk: 70,
        change: 20,
        chance: 0.3,
        nextStep: 'Security review',
        findings: [
          {
            signal: 'Competitor_Present',
            label: 'Competitor present',
            action: 'Escalate',
            evidence: 'Gong came up on the last call',
          },
          { signal: 'Stale', evidence: 'No activity for 25 days' },
        ],
      }),
      reviewed('dead', {
        amount: 15_000,
        closeDate: '2026-06-30',
        status: 'Close out',
        risk: 60,
        change: -5,
        findings: [
          { signal: 'Zombie', label: 'Zombie', action: 'Close Out', evidence: 'No engagement for 90 days' },
        ],
      }),
      reviewed('good', { amount: 40_000, closeDate: '2026-03-12' }),
    ];
    const review = reviewOf(
      'Rep',
      { userId: '005ANA', name: 'Ana Rep' },
      '005MGR',
      deals,
      [action('good', 2, 10), action('big', 1, 90), action('other', 1, 99)],
      ctx,
    );

    expect(review).toMatchObject({ version: 1, scope: 'Rep', managerId: '005MGR', weekStart: '2026-03-09' });
    expect(review.statusSummary).toBe(
      'Ana Rep: 3 open deals worth $175,000; 1 at risk, 0 to watch, 1 on track, 1 to close out. Since last week risk rose on 1 deal and fell on 1 deal.',
    );
    expect(review.pipeline).toEqual({
      openDeals: 3,
      total: 175_000,
      weighted: 120_000 * 0.3 + 15_000 * 0.8 + 40_000 * 0.8,
      dealsWithoutAmount: 0,
      thisMonth: { start: '2026-03-01', end: '2026-03-31', deals: 2, total: 160_000, weighted: 68_000 },
      thisQuarter: { start: '2026-01-01', end: '2026-03-31', deals: 2, total: 160_000, weighted: 68_000 },
    });
    expect(review.keyRisks.map((r) => r.text)).toEqual([
      'Competitor present: 1 deal, $120,000 (Deal big)',
      'Stale: 1 deal, $120,000 (Deal big)',
      'Zombie: 1 deal, $15,000 (Deal dead)',
    ]);
    expect(review.helpNeeded).toEqual([
      {
        opportunityId: 'big',
        name: 'Deal big',
        owner: 'Ana Rep',
        amount: 120_000,
        why: 'Gong came up on the last call',
      },
    ]);
    expect(review.nextSteps.map((s) => s.opportunityId)).toEqual(['big', 'good']);
    expect(review.focus.map((f) => f.opportunityId)).toEqual(['big', 'dead', 'good']);
    expect(review.closeOut).toEqual([
      { opportunityId: 'dead', name: 'Deal dead', owner: 'Ana Rep', why: 'No engagement for 90 days' },
    ]);
    expect(review.confidence.level).toBe('Low');
    expect(review.reps).toEqual([]);
    const big = review.deals[0]!;
    expect(big).toMatchObject({
      confidence: 'Low',
      winChance: 0.3,
      riskChange: 20,
      nextStep: 'Security review',
      nextAction: { action: 'Re-engage', why: 'Why big', dueDate: null },
    });
  });

  it('says so when the rep has no open deals', () => {
    const review = reviewOf('Rep', { userId: '005ANA', name: 'Ana Rep' }, null, [], [], ctx);
    expect(review.statusSummary).toBe('Ana Rep: no open deals.');
    expect(review.focus).toEqual([]);
  });
});

describe('the reviews of a scan', () => {
  it("writes one per rep and one per manager's team, from the audit of the pipeline", () => {
    const opportunities = [
      deal('ana-1', {
        owner: 'Ana Rep',
        amount: 40_000,
        closeDate: '2026-03-20',
        lastActivityDate: '2026-03-09',
        nextStep: 'Demo',
      }),
      deal('ana-2', { owner: 'Ana Rep', amount: 25_000, createdDate: '2025-10-01' }),
      deal('ben-1', {
        owner: 'Ben Rep',
        amount: 60_000,
        closeDate: '2026-05-15',
        lastActivityDate: '2026-03-01',
        nextStep: 'Call',
      }),
      deal('solo-1', {
        owner: 'Solo Rep',
        amount: 5_000,
        closeDate: '2026-03-30',
        lastActivityDate: '2026-03-09',
        nextStep: 'Sign',
      }),
    ];
    const audit = auditPipeline({
      dataset: dataset({ opportunities, knownFields: ['nextStep'] }),
      rules,
      asOf: AS_OF,
      weekAgo: null,
      formatMoney: money,
    });
    const ownerIds: Record<string, string> = {
      'Ana Rep': '005ANA',
      'Ben Rep': '005BEN',
      'Solo Rep': '005SOLO',
    };
    const deals: ReviewedDeal[] = audit.review.deals.map((review) => ({
      review,
      findings: audit.deals.find((d) => d.opportunityId === review.opportunityId)!.findings,
      nextStep: opportunities.find((o) => o.id === review.opportunityId)!.nextStep,
      ownerId: ownerIds[review.owner!]!,
    }));
    const owners = new Map<string, ReviewOwner>([
      ['005ANA', { userId: '005ANA', name: 'Ana Rep', managerId: '005MGR', managerName: 'Morgan Manager' }],
      ['005BEN', { userId: '005BEN', name: 'Ben Rep', managerId: '005MGR', managerName: 'Morgan Manager' }],
      ['005SOLO', { userId: '005SOLO', name: 'Solo Rep', managerId: null, managerName: null }],
    ]);

    const reviews = pipelineReviews(
      deals,
      audit.queues.flatMap((q) => q.actions),
      owners,
      ctx,
    );

    expect(reviews.map((r) => `${r.scope} ${r.subject.name} ${r.deals.length}`)).toEqual([
      'Rep Ana Rep 2',
      'Rep Ben Rep 1',
      'Rep Solo Rep 1',
      'Team Morgan Manager 3',
    ]);
    const team = reviews.find((r) => r.scope === 'Team')!;
    expect(team.subject.userId).toBe('005MGR');
    expect(team.statusSummary).toMatch(/^Morgan Manager's team \(2 reps\): 3 open deals worth \$125,000;/);
    expect(team.pipeline.total).toBe(125_000);
    expect(team.reps.map((r) => [r.name, r.openDeals, r.total])).toEqual([
      ['Ana Rep', 2, 65_000],
      ['Ben Rep', 1, 60_000],
    ]);
    expect(team.closeOut.map((c) => c.opportunityId)).toEqual(['ana-2']);
    const ana = reviews.find((r) => r.subject.userId === '005ANA')!;
    expect(ana.managerId).toBe('005MGR');
    expect(ana.nextSteps.every((s) => s.opportunityId.startsWith('ana-'))).toBe(true);
    expect(reviews.find((r) => r.subject.userId === '005SOLO')!.managerId).toBeNull();

    // A review the org holds for the week whose rep has no open deal left is written again, empty.
    const gone = pipelineReviews(deals, [], owners, ctx, [
      { scope: 'Rep', userId: '005ANA' },
      { scope: 'Rep', userId: '005LEFT' },
    ]);
    expect(gone).toHaveLength(reviews.length + 1);
    expect(gone.at(-1)).toMatchObject({
      scope: 'Rep',
      subject: { userId: '005LEFT', name: null },
      statusSummary: 'This rep: no open deals.',
      deals: [],
    });
  });
});
