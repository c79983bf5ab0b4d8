import type { RecordedDeal } from './deal-history.js';

/**
 * What moved between two moments, read from the recorded deal history rather than recomputed: each
 * deal's row valid at the start against its row valid at the end. The forecast's total is the
 * weighted pipeline, every open deal's amount times its win probability (the model's, or the deal's
 * own Probability while the model has learned nothing); the pipeline is the open amount. Each deal
 * that changed either is in exactly one bucket, so the buckets' changes add up, to the cent, to the
 * change in both totals:
 * - in: open at the end, not at the start (new, or reopened);
 * - out: open at the start, not at the end (won, lost, or no longer scanned);
 * - slipped: open at both, its close date pushed later;
 * - up / down: open at both, its weighted value (or, equal, its amount) rose or fell.
 */

export type MoveKind = 'in' | 'out' | 'slipped' | 'up' | 'down';
export const MOVE_KINDS: readonly MoveKind[] = ['in', 'out', 'slipped', 'up', 'down'];

export interface DealMove {
  opportunityId: string;
  name: string | null;
  kind: MoveKind;
  /** In words: new, reopened, won, lost, no longer open, close date pushed, amount, probability. */
  reason: string;
  amountBefore: number | null;
  amountAfter: number | null;
  weightedBefore: number;
  weightedAfter: number;
  /** The change in the deal's weighted value, and in its open amount. */
  weightedChange: number;
  pipelineChange: number;
  closeDateBefore: string | null;
  closeDateAfter: string | null;
  stageBefore: string | null;
  stageAfter: string | null;
}

export interface MovementTotals {
  deals: number;
  pipeline: number;
  weighted: number;
}

export interface RecordedMovement {
  from: string;
  to: string;
  before: MovementTotals;
  after: MovementTotals;
  buckets: Record<MoveKind, { deals: number; pipelineChange: number; weightedChange: number }>;
  /** Largest weighted change first. */
  moves: DealMove[];
}

/** String.localeCompare's order, from one collator: a week's moves run to tens of thousands of deals. */
const byId = new Intl.Collator();

/** Amounts are summed in whole cents, so the buckets reconcile exactly, not to a float's last digit. */
const cents = (amount: number | null) => (amount === null ? 0 : Math.round(amount * 100));
const units = (c: number) => c / 100;

interface Value {
  open: boolean;
  pipeline: number;
  weighted: number;
}

function valueOf(deal: RecordedDeal | undefined): Value {
  if (!deal || deal.isClosed) return { open: false, pipeline: 0, weighted: 0 };
  const amount = cents(deal.amount);
  const weight = deal.modelProbability ?? deal.stageProbability ?? 0;
  return { open: true, pipeline: amount, weighted: Math.round((amount * weight) / 100) };
}

function classify(
  before: RecordedDeal | undefined,
  after: RecordedDeal | undefined,
  was: Value,
  now: Value,
): { kind: MoveKind; reason: string } | null {
  if (!was.open && now.open) return { kind: 'in', reason: before?.isClosed ? 'reopened' : 'new' };
  if (was.open && !now.open) {
    if (!after) return { kind: 'out', reason: 'no longer open' };
    return { kind: 'out', reason: after.isWon ? 'won' : 'lost' };
  }
  if (!was.open) return null;
  const pushed =
    before!.closeDate !== null && after!.closeDate !== null && after!.closeDate > before!.closeDate;
  if (pushed) return { kind: 'slipped', reason: 'close date pushed' };
  const weighted = now.weighted - was.weighted;
  const pipeline = now.pipeline - was.pipeline;
  const reason = pipeline !== 0 ? 'amount' : 'probability';
  if (weighted > 0 || (weighted === 0 && pipeline > 0)) return { kind: 'up', reason };
  if (weighted < 0 || (weighted === 0 && pipeline < 0)) return { kind: 'down', reason };
  return null;
}

export function recordedMovement(
  before: ReadonlyMap<string, RecordedDeal>,
  after: ReadonlyMap<string, RecordedDeal>,
  window: { from: string; to: string },
): RecordedMovement {
  const buckets = Object.fromEntries(
    MOVE_KINDS.map((k) => [k, { deals: 0, pipelineChange: 0, weightedChange: 0 }]),
  ) as RecordedMovement['buckets'];
  const totals = {
    before: { deals: 0, pipeline: 0, weighted: 0 },
    after: { deals: 0, pipeline: 0, weighted: 0 },
  };
  const moves: { move: DealMove; size: number }[] = [];
  for (const id of new Set([...before.keys(), ...after.keys()])) {
    const b = before.get(id);
    const a = after.get(id);
    const was = valueOf(b);
    const now = valueOf(a);
    for (const [side, v] of [
      [totals.before, was],
      [totals.after, now],
    ] as const) {
      if (!v.open) continue;
      side.deals++;
      side.pipeline += v.pipeline;
      side.weighted += v.weighted;
    }
    const move = classify(b, a, was, now);
    if (!move) continue;
    const bucket = buckets[move.kind];
    bucket.deals++;
    bucket.pipelineChange += now.pipeline - was.pipeline;
    bucket.weightedChange += now.weighted - was.weighted;
    moves.push({
      size: Math.abs(now.weighted - was.weighted),
      move: {
        opportunityId: id,
        name: a?.name ?? b?.name ?? null,
        ...move,
        amountBefore: b?.amount ?? null,
        amountAfter: a?.amount ?? null,
        weightedBefore: units(was.weighted),
        weightedAfter: units(now.weighted),
        weightedChange: units(now.weighted - was.weighted),
        pipelineChange: units(now.pipeline - was.pipeline),
        closeDateBefore: b?.closeDate ?? null,
        closeDateAfter: a?.closeDate ?? null,
        stageBefore: b?.stage ?? null,
        stageAfter: a?.stage ?? null,
      },
    });
  }
  for (const bucket of Object.values(buckets)) {
    bucket.pipelineChange = units(bucket.pipelineChange);
    bucket.weightedChange = units(bucket.weightedChange);
  }
  const inUnits = (t: MovementTotals) => ({
    deals: t.deals,
    pipeline: units(t.pipeline),
    weighted: units(t.weighted),
  });
  return {
    from: window.from,
    to: window.to,
    before: inUnits(totals.before),
    after: inUnits(totals.after),
    buckets,
    moves: moves
      .sort((x, y) => y.size - x.size || byId.compare(x.move.opportunityId, y.move.opportunityId))
      .map((m) => m.move),
  };
}
