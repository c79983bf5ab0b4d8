import type { OpportunityChange, PipelineDataset, PipelineOpportunity } from './records.js';
import { stageOutcomes, type StageOutcome } from './stage-outcomes.js';

/**
 * The pipeline as it stood at the end of an as-of date, from what had happened by then and nothing
 * after: this is where a time-split forecast is kept from seeing the future.
 *
 * - A deal exists from its created date (maven: engage_date), or else its first history row.
 * - Its stage, amount, close date and probability at the as-of date come from its last history row
 *   dated on or before it. On one day, a closing row counts after the open ones, since exports drop
 *   the time of day and a deal that closed that day ended it closed.
 * - With no history at all, a deal closed now was open at the as-of date if it closed after it; what
 *   it looked like then is unknown (stage "Unknown", no amount, no close date), because its closed
 *   record shows only the outcome. A deal open now is taken as it is now, minus anything dated after
 *   the as-of date: without history that is the best there is, and the report says so.
 * - A deal with no date at all (maven's Prospecting rows have neither engage nor close date) is known
 *   only as of the export, so it counts at as-of dates on or after the latest date in the data.
 */

export interface ClosedDeal {
  /** The deal as it closed. */
  opportunity: PipelineOpportunity;
  openedOn: string | null;
  closedOn: string;
  won: boolean;
}

export interface OpenDeal {
  /** The deal as it stood at the as-of date (isClosed false). */
  opportunity: PipelineOpportunity;
  openedOn: string | null;
  /** True when its stage and amount at the as-of date come from history or an unchanged record. */
  stageKnown: boolean;
}

export interface PipelineState {
  asOf: string;
  open: OpenDeal[];
  /** Deals closed on or before the as-of date, oldest first. */
  closed: ClosedDeal[];
  /** What was known at the as-of date, in the shape every engine reads. */
  dataset: PipelineDataset;
  /** Deals left out because nothing dates them and the as-of date is before the export. */
  undatedLeftOut: number;
  /** The latest date anywhere in the data: roughly when it was exported. */
  latestDate: string | null;
}

export const UNKNOWN_STAGE = 'Unknown';

export function stateAsOf(dataset: PipelineDataset, asOf: string): PipelineState {
  const outcomeOf = stageOutcomes(dataset.opportunities);
  const historyOf = groupHistory(dataset.history, outcomeOf);
  const latestDate = latestDateIn(dataset);

  const open: OpenDeal[] = [];
  const closed: ClosedDeal[] = [];
  const known: PipelineOpportunity[] = [];
  let undatedLeftOut = 0;
  for (const current of dataset.opportunities) {
    const changes = historyOf.get(current.id) ?? [];
    const openedOn = current.createdDate ?? changes[0]?.date ?? null;
    if (openedOn === null) {
      if (latestDate !== null && asOf < latestDate) {
        undatedLeftOut++;
        continue;
      }
    } else if (openedOn > asOf) {
      continue;
    }
    const then =
      changes.length > 0 ? fromHistory(current, changes, asOf, outcomeOf) : withoutHistory(current, asOf);
    if (then === null) continue;
    known.push(then.opportunity);
    if (then.opportunity.isClosed) {
      closed.push({
        opportunity: then.opportunity,
        openedOn,
        closedOn: then.closedOn!,
        won: then.opportunity.isWon,
      });
    } else {
      open.push({ opportunity: then.opportunity, openedOn, stageKnown: then.stageKnown });
    }
  }
  closed.sort((a, b) => (a.closedOn < b.closedOn ? -1 : a.closedOn > b.closedOn ? 1 : 0));
  const knownIds = new Set(known.map((o) => o.id));
  return {
    asOf,
    open,
    closed,
    undatedLeftOut,
    latestDate,
    dataset: {
      opportunities: known,
      history: dataset.history.filter((c) => c.date <= asOf && knownIds.has(c.opportunityId)),
      contacts: dataset.contacts,
      engagement: dataset.engagement.filter((e) => e.date <= asOf && knownIds.has(e.opportunityId)),
      conversations: dataset.conversations.filter((c) => c.date <= asOf && knownIds.has(c.opportunityId)),
      ...(dataset.knownFields ? { knownFields: dataset.knownFields } : {}),
    },
  };
}

interface Then {
  opportunity: PipelineOpportunity;
  closedOn: string | null;
  stageKnown: boolean;
}

function fromHistory(
  current: PipelineOpportunity,
  changes: readonly OpportunityChange[],
  asOf: string,
  outcomeOf: ReturnType<typeof stageOutcomes>,
): Then {
  let lastIndex = -1;
  while (lastIndex + 1 < changes.length && changes[lastIndex + 1]!.date <= asOf) lastIndex++;
  // Created by the as-of date but first recorded later: Salesforce writes a row when a deal is
  // created, so the first row still says what it was created as.
  const index = Math.max(lastIndex, 0);
  const row = changes[index]!;
  // First recorded as closed, after the as-of date: open then, in a stage nobody wrote down.
  if (lastIndex < 0 && outcomeOf(row.stage, row) !== 'open') return unknownThen(current, asOf);
  let enteredIndex = index;
  while (enteredIndex > 0 && changes[enteredIndex - 1]!.stage === row.stage) enteredIndex--;
  const outcome = outcomeOf(row.stage, row);
  const unchangedSince = lastIndex === changes.length - 1;
  const enteredOn = lastIndex < 0 ? (current.createdDate ?? row.date) : changes[enteredIndex]!.date;
  const opportunity: PipelineOpportunity = {
    ...current,
    stage: row.stage,
    isClosed: outcome !== 'open',
    isWon: outcome === 'won',
    amount: row.amount ?? (unchangedSince ? current.amount : null),
    probability: row.probability ?? (unchangedSince ? current.probability : null),
    forecastCategory: row.forecastCategory ?? (unchangedSince ? current.forecastCategory : null),
    closeDate: row.closeDate ?? (unchangedSince ? current.closeDate : null),
    stageEnteredDate: enteredOn,
    ...recentOnly(current, asOf, unchangedSince),
  };
  return { opportunity, closedOn: outcome === 'open' ? null : enteredOn, stageKnown: true };
}

function withoutHistory(current: PipelineOpportunity, asOf: string): Then | null {
  if (current.isClosed) {
    if (current.closeDate === null) return null;
    if (current.closeDate <= asOf)
      return { opportunity: current, closedOn: current.closeDate, stageKnown: true };
    return unknownThen(current, asOf);
  }
  return {
    opportunity: {
      ...current,
      stageEnteredDate: onOrBefore(current.stageEnteredDate, asOf),
      ...recentOnly(current, asOf, true),
    },
    closedOn: null,
    stageKnown: false,
  };
}

/** Open at the as-of date, closed since, and nothing says how it looked then. */
function unknownThen(current: PipelineOpportunity, asOf: string): Then {
  return {
    opportunity: {
      ...current,
      stage: UNKNOWN_STAGE,
      isClosed: false,
      isWon: false,
      amount: null,
      probability: null,
      forecastCategory: null,
      closeDate: null,
      stageEnteredDate: null,
      ...recentOnly(current, asOf, false),
    },
    closedOn: null,
    stageKnown: false,
  };
}

/** Activity is kept only if dated by the as-of date; the next step only if nothing changed since. */
function recentOnly(current: PipelineOpportunity, asOf: string, unchangedSince: boolean) {
  return {
    lastActivityDate: onOrBefore(current.lastActivityDate, asOf),
    nextStep: unchangedSince ? current.nextStep : null,
    nextStepDate: unchangedSince ? current.nextStepDate : null,
  };
}

const onOrBefore = (date: string | null, asOf: string) => (date !== null && date <= asOf ? date : null);

function groupHistory(
  history: readonly OpportunityChange[],
  outcomeOf: (stage: string, change?: OpportunityChange) => StageOutcome,
): Map<string, OpportunityChange[]> {
  const byDeal = new Map<string, { change: OpportunityChange; order: number }[]>();
  history.forEach((change, order) => {
    const list = byDeal.get(change.opportunityId) ?? [];
    list.push({ change, order });
    byDeal.set(change.opportunityId, list);
  });
  const sorted = new Map<string, OpportunityChange[]>();
  for (const [id, list] of byDeal) {
    const closes = (c: OpportunityChange) => (outcomeOf(c.stage, c) === 'open' ? 0 : 1);
    list.sort(
      (a, b) =>
        (a.change.date < b.change.date ? -1 : a.change.date > b.change.date ? 1 : 0) ||
        closes(a.change) - closes(b.change) ||
        a.order - b.order,
    );
    sorted.set(
      id,
      list.map((x) => x.change),
    );
  }
  return sorted;
}

function latestDateIn(dataset: PipelineDataset): string | null {
  let latest: string | null = null;
  const see = (date: string | null) => {
    if (date !== null && (latest === null || date > latest)) latest = date;
  };
  for (const o of dataset.opportunities) {
    see(o.createdDate);
    see(o.lastActivityDate);
    if (o.isClosed) see(o.closeDate);
  }
  for (const c of dataset.history) see(c.date);
  return latest;
}
