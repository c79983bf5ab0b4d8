import type { SignalHit } from './signal-matcher.js';
import type { StageDefinition } from './stage-rules.js';

/**
 * How far a deal moves forward on what one conversation evidences: one step at a time. Each entry
 * signal of a stage is one of its criteria. The deal moves to the next stage on any evidence of it
 * or of a later stage, and further to a later stage only when every criterion of that stage is
 * evidenced, or step by step: when every stage before it is passed (each of its criteria evidenced,
 * or its exit signals said), so a first call that qualifies the deal and gathers the must-haves
 * lands on the must-haves' stage. Winning closes the whole path, so the won stage's criteria are
 * its own and those of every stage between: a signed order mentioned at Qualification moves the
 * deal one step.
 */

export interface StageEvidence {
  stage: StageDefinition;
  /** Hits of the stage's entry signals: its criteria met. */
  criteria: SignalHit[];
  /** Hits of the previous open stage's exit signals: leaving it is arriving here. */
  arrived: SignalHit[];
  /** Hits of this stage's own exit signals: it is done. */
  exited: SignalHit[];
}

export interface ForwardMove {
  to: StageDefinition;
  /** The hits the move rests on: those of the stages reached first, then any beyond. */
  hits: SignalHit[];
  /** Why, naming each criterion met and, when the deal is held back, the criteria not evidenced. */
  reasons: string[];
}

const hitsOf = (e: StageEvidence) => [...e.criteria, ...e.arrived];

/** The stage's criteria that the conversation does not evidence. */
export function missingCriteria(e: StageEvidence): string[] {
  return e.stage.entrySignals
    .map((s) => s.label)
    .filter((label) => !e.criteria.some((h) => h.signal === label));
}

/** Whether a deal may move past this stage on this conversation. */
export function passed(e: StageEvidence): boolean {
  return e.exited.length > 0 || missingCriteria(e).length === 0;
}

const met = (e: StageEvidence) => hitsOf(e).map((h) => `${h.signal} (${e.stage.stageName} criterion met)`);

const evidenced = (e: StageEvidence) => hitsOf(e).length > 0;
const named = (e: StageEvidence) => missingCriteria(e).map((c) => `${c} (${e.stage.stageName})`);

/**
 * What a move to `ahead[i]` lacks, empty when the deal may land there: nothing when each stage
 * between is passed; else, for the won stage, the criteria of the stages between, and for an open
 * stage its own criteria missing.
 */
function lacking(ahead: readonly StageEvidence[], i: number): string[] {
  const target = ahead[i]!;
  if (i === 0) return [];
  const unpassed = ahead.slice(0, i).filter((e) => !passed(e));
  if (target.stage.isClosed || unpassed.length === 0) return unpassed.flatMap(named);
  return named(target);
}

/** Why the deal stops short of `furthest`, for the reasons a rep reads. */
function heldBack(ahead: readonly StageEvidence[], furthest: StageEvidence): string {
  const needs = furthest.stage.isClosed
    ? 'every criterion of the stages before it'
    : `every criterion of ${furthest.stage.stageName} or of the stages before it`;
  return `one step at a time: ${furthest.stage.stageName} is evidenced, but going past ${ahead[0]!.stage.stageName} needs ${needs}; not evidenced: ${lacking(ahead, ahead.indexOf(furthest)).join(', ')}`;
}

/** `ahead`: the stages after the current one, in order; at least one holds evidence. */
export function forwardMove(ahead: readonly StageEvidence[]): ForwardMove {
  let landing = 0;
  // Past the next stage only on the stage's own criteria: leaving the stage before it (its exit
  // signals) is one step, not two.
  ahead.forEach((e, i) => {
    if (i > 0 && e.criteria.length > 0 && lacking(ahead, i).length === 0) landing = i;
  });
  const reached = ahead.slice(0, landing + 1).filter(evidenced);
  const later = ahead.slice(landing + 1).filter(evidenced);
  const reasons = reached.flatMap(met);
  const furthest = later[later.length - 1];
  if (furthest) reasons.push(...later.flatMap(met), heldBack(ahead, furthest));
  return {
    to: ahead[landing]!.stage,
    hits: [...reached.flatMap(hitsOf), ...later.flatMap(hitsOf)],
    reasons,
  };
}
