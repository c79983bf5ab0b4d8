import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  historyChanges,
  rowsValidAt,
  type HistoryRow,
  type RecordedDeal,
} from '../../../src/domain/forecast/deal-history.js';
import { MOVE_KINDS, recordedMovement } from '../../../src/domain/forecast/recorded-movement.js';

const deal = (id: string, over: Partial<RecordedDeal> = {}): RecordedDeal => ({
  opportunityId: id,
  name: `Deal ${id}`,
  riskScore: 20,
  modelProbability: 50,
  suggestedCategory: 'Best Case',
  stage: 'Proposal/Price Quote',
  stageProbability: 75,
  amount: 10_000,
  closeDate: '2026-12-20',
  forecastCategory: 'Pipeline',
  isClosed: false,
  isWon: false,
  ...over,
});
const byId = (...deals: RecordedDeal[]) => new Map(deals.map((d) => [d.opportunityId, d]));
const WEEK = { from: '2026-11-30T06:00:00.000Z', to: '2026-12-07T06:00:00.000Z' };

describe('the deal history a scan records', () => {
  const scoredAt = '2026-12-07T06:00:00.000Z';
  const row = (d: RecordedDeal, at: string): HistoryRow => ({
    ...d,
    key: `${d.opportunityId}:${at}`,
    scoredAt: at,
    validUntil: null,
  });

  it('adds a row only for a deal that is new or whose values moved, and closes the row it replaces', () => {
    const held = new Map([
      ['A', row(deal('A'), '2026-11-30T06:00:00.000Z')],
      ['B', row(deal('B'), '2026-11-30T06:00:00.000Z')],
    ]);
    const changes = historyChanges(
      [deal('A', { riskScore: 20 }), deal('B', { riskScore: 55 }), deal('C')],
      held,
      scoredAt,
    );

    expect(changes.added.map((r) => r.opportunityId)).toEqual(['B', 'C']);
    expect(changes.closed).toEqual([{ key: 'B:2026-11-30T06:00:00.000Z', validUntil: scoredAt }]);
    expect(changes.unchanged).toBe(1);
    expect(changes.added[0]).toMatchObject({ riskScore: 55, validUntil: null, key: `B:${scoredAt}` });
  });

  it('takes a probability that differs only past the second decimal for no change', () => {
    const held = new Map([['A', row(deal('A', { modelProbability: 41.23 }), '2026-11-30T06:00:00.000Z')]]);

    expect(historyChanges([deal('A', { modelProbability: 41.2301 })], held, scoredAt).added).toEqual([]);
  });

  it('records a deal leaving the pipeline once, and never a deal closed before it was first recorded', () => {
    const held = new Map([['A', row(deal('A'), '2026-11-30T06:00:00.000Z')]]);
    const won = deal('A', { isClosed: true, isWon: true, stage: 'Closed Won' });

    const first = historyChanges([won, deal('Z', { isClosed: true })], held, scoredAt);
    expect(first.added.map((r) => [r.opportunityId, r.isWon])).toEqual([['A', true]]);

    const again = historyChanges([won], new Map([['A', first.added[0]!]]), '2026-12-14T06:00:00.000Z');
    expect(again.added).toEqual([]);
  });

  it('reads back the row each deal had at a past moment', () => {
    const rows: HistoryRow[] = [
      {
        ...row(deal('A', { amount: 1 }), '2026-11-01T00:00:00.000Z'),
        validUntil: '2026-11-20T00:00:00.000Z',
      },
      {
        ...row(deal('A', { amount: 2 }), '2026-11-20T00:00:00.000Z'),
        validUntil: '2026-12-05T00:00:00.000Z',
      },
      row(deal('A', { amount: 3 }), '2026-12-05T00:00:00.000Z'),
      row(deal('B'), '2026-12-01T00:00:00.000Z'),
    ];

    const then = rowsValidAt(rows, WEEK.from);
    expect(then.get('A')?.amount).toBe(2);
    expect(then.has('B')).toBe(false);
    expect(rowsValidAt(rows, WEEK.to).get('A')?.amount).toBe(3);
  });
});

describe('week-over-week movement from the recorded history', () => {
  it('sorts each deal into in, out, slipped, up or down with its amounts', () => {
    const before = byId(
      deal('won', { amount: 40_000, modelProbability: 80 }),
      deal('lost', { amount: 5_000 }),
      deal('slip', { amount: 20_000, closeDate: '2026-12-15' }),
      deal('up', { amount: 10_000, modelProbability: 30 }),
      deal('down', { amount: 10_000 }),
      deal('same'),
      deal('gone'),
    );
    const after = byId(
      deal('won', { amount: 40_000, isClosed: true, isWon: true, stage: 'Closed Won' }),
      deal('lost', { isClosed: true, stage: 'Closed Lost' }),
      deal('slip', { amount: 20_000, closeDate: '2027-01-31' }),
      deal('up', { amount: 10_000, modelProbability: 60 }),
      deal('down', { amount: 8_000 }),
      deal('same'),
      deal('new', { amount: 12_500, modelProbability: null, stageProbability: 10 }),
    );

    const m = recordedMovement(before, after, WEEK);

    const kinds = Object.fromEntries(m.moves.map((x) => [x.opportunityId, [x.kind, x.reason]]));
    expect(kinds).toEqual({
      won: ['out', 'won'],
      lost: ['out', 'lost'],
      gone: ['out', 'no longer open'],
      slip: ['slipped', 'close date pushed'],
      up: ['up', 'probability'],
      down: ['down', 'amount'],
      new: ['in', 'new'],
    });
    expect(m.buckets.out).toEqual({ deals: 3, pipelineChange: -55_000, weightedChange: -39_500 });
    expect(m.buckets.in).toEqual({ deals: 1, pipelineChange: 12_500, weightedChange: 1_250 });
    expect(m.buckets.up.weightedChange).toBe(3_000);
    expect(m.buckets.down).toEqual({ deals: 1, pipelineChange: -2_000, weightedChange: -1_000 });
    const slip = m.moves.find((x) => x.kind === 'slipped')!;
    expect([slip.closeDateBefore, slip.closeDateAfter]).toEqual(['2026-12-15', '2027-01-31']);
    expect(m.moves[0]!.opportunityId).toBe('won');
    expect(m.moves.some((x) => x.opportunityId === 'same')).toBe(false);
  });

  it('says a reopened deal came back in', () => {
    const m = recordedMovement(
      byId(deal('A', { isClosed: true, stage: 'Closed Lost' })),
      byId(deal('A', { stage: 'Negotiation/Review' })),
      WEEK,
    );
    expect(m.moves.map((x) => [x.kind, x.reason])).toEqual([['in', 'reopened']]);
  });

  const recorded = fc.record({
    amount: fc.option(fc.double({ min: 0, max: 5e6, noNaN: true }), { nil: null }),
    modelProbability: fc.option(fc.double({ min: 0, max: 100, noNaN: true }), { nil: null }),
    stageProbability: fc.option(fc.integer({ min: 0, max: 100 }), { nil: null }),
    closeDate: fc.option(fc.constantFrom('2026-12-01', '2026-12-20', '2027-01-15'), { nil: null }),
    isClosed: fc.boolean(),
    isWon: fc.boolean(),
  });
  const pipelineOf = fc.dictionary(fc.constantFrom('a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'), recorded);

  it('reconciles, to the cent, to the change in the weighted pipeline and in the open amount', () => {
    fc.assert(
      fc.property(pipelineOf, pipelineOf, (was, now) => {
        const toMap = (deals: typeof was) =>
          new Map(Object.entries(deals).map(([id, v]) => [id, deal(id, v)] as const));
        const m = recordedMovement(toMap(was), toMap(now), WEEK);
        const c = (v: number) => Math.round(v * 100);
        const sum = (field: 'weightedChange' | 'pipelineChange') =>
          MOVE_KINDS.reduce((s, k) => s + c(m.buckets[k][field]), 0);
        expect(sum('weightedChange')).toBe(c(m.after.weighted) - c(m.before.weighted));
        expect(sum('pipelineChange')).toBe(c(m.after.pipeline) - c(m.before.pipeline));
        expect(m.moves.reduce((s, x) => s + c(x.weightedChange), 0)).toBe(sum('weightedChange'));
      }),
      { numRuns: 300 },
    );
  });
});
