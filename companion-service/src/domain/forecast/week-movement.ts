import type { PipelineDataset } from '../pipeline/records.js';
import { stateAsOf } from '../pipeline/state-as-of.js';
import { indexHistory, type HistoryIndex } from '../pipeline/history-index.js';
import { addDays } from './deal-snapshot.js';

/**
 * What moved in the week before the as-of date, comparing the pipeline at as-of - 7 with the
 * pipeline at as-of. A deal is in exactly one bucket: won or lost (closed in the week); new (opened
 * in the week, still open); slipped (its close date fell inside the week, or had already passed, and
 * it is still open); pushed or pulled in (its close date moved later or earlier).
 */

export type MovementKind = 'new' | 'won' | 'lost' | 'slipped' | 'pushed' | 'pulled in';

export interface MovedDeal {
  id: string;
  name: string | null;
  kind: MovementKind;
  amount: number | null;
  closeDateBefore: string | null;
  closeDateAfter: string | null;
}

export interface WeekMovement {
  from: string;
  to: string;
  counts: Record<MovementKind, number>;
  amounts: Record<MovementKind, number>;
  deals: MovedDeal[];
}

export function weekMovement(
  dataset: PipelineDataset,
  asOf: string,
  index: HistoryIndex = indexHistory(dataset),
): WeekMovement {
  const from = addDays(asOf, -7);
  const before = new Map(stateAsOf(dataset, from, index).open.map((d) => [d.opportunity.id, d.opportunity]));
  const after = stateAsOf(dataset, asOf, index);
  const deals: MovedDeal[] = [];
  const move = (
    kind: MovementKind,
    id: string,
    name: string | null,
    amount: number | null,
    b: string | null,
    a: string | null,
  ) => deals.push({ id, name, kind, amount, closeDateBefore: b, closeDateAfter: a });

  for (const c of after.closed) {
    const was = before.get(c.opportunity.id);
    if (was)
      move(
        c.won ? 'won' : 'lost',
        c.opportunity.id,
        c.opportunity.name,
        c.opportunity.amount ?? was.amount,
        was.closeDate,
        c.closedOn,
      );
  }
  for (const { opportunity: now } of after.open) {
    const was = before.get(now.id);
    if (!was) {
      move('new', now.id, now.name, now.amount, null, now.closeDate);
      continue;
    }
    if (was.closeDate !== null && was.closeDate <= asOf) {
      move('slipped', now.id, now.name, now.amount, was.closeDate, now.closeDate);
    } else if (was.closeDate !== null && now.closeDate !== null && now.closeDate !== was.closeDate) {
      move(
        now.closeDate > was.closeDate ? 'pushed' : 'pulled in',
        now.id,
        now.name,
        now.amount,
        was.closeDate,
        now.closeDate,
      );
    }
  }
  const kinds: MovementKind[] = ['new', 'won', 'lost', 'slipped', 'pushed', 'pulled in'];
  const counts = Object.fromEntries(kinds.map((k) => [k, 0])) as Record<MovementKind, number>;
  const amounts = Object.fromEntries(kinds.map((k) => [k, 0])) as Record<MovementKind, number>;
  for (const d of deals) {
    counts[d.kind]++;
    amounts[d.kind] += d.amount ?? 0;
  }
  return { from, to: asOf, counts, amounts, deals };
}
