import type { Evidence, NextStep, NextStepPriority } from '../../insights/schema.js';
import type { Sentence } from '../../text/sentences.js';
import { evidenceForSentence } from '../../stages/signal-matcher.js';

/**
 * The pieces of a sentence that are steps of their own, and one step per action however often a
 * thread repeats it.
 */

export interface Clause {
  text: string;
  evidence: Evidence;
}

/** "I'll send the proposal by Friday and set up a call next Tuesday" is two steps with two dates. */
export function clauses(s: Sentence, skip: number, clauseBreak: RegExp): Clause[] {
  const whole = s.text.slice(skip);
  const cuts: number[] = [];
  clauseBreak.lastIndex = 0;
  let m: RegExpExecArray | null;
  while ((m = clauseBreak.exec(whole))) cuts.push(m.index, m.index + m[0].length);
  if (cuts.length === 0) {
    const start = s.start + skip;
    return [
      {
        text: whole,
        evidence: skip === 0 ? evidenceForSentence(s) : { quote: whole, start, end: start + whole.length },
      },
    ];
  }
  const bounds = [0, ...cuts, whole.length];
  const out: Clause[] = [];
  for (let i = 0; i < bounds.length; i += 2) {
    const text = whole
      .slice(bounds[i]!, bounds[i + 1]!)
      .trim()
      .replace(/[.!]$/, '');
    const start = s.start + skip + whole.indexOf(text, bounds[i]!);
    out.push({ text, evidence: { quote: text, start, end: start + text.length } });
  }
  return out;
}

/**
 * The commitment's clause and the one after it ("I'll send Dana the worksheet, probably Monday"), but
 * not past `limit` (where the next commitment starts), quoted with its offsets in the source.
 */
export function aroundCommitment(
  s: Sentence,
  clauseOf: (at: number) => { start: number; end: number },
  from: number,
  to: number,
  limit: number,
): Clause {
  const first = clauseOf(from);
  const ownEnd = Math.max(first.end, to);
  const next = ownEnd < s.text.length ? Math.max(ownEnd, clauseOf(ownEnd + 1).end) : ownEnd;
  const end = Math.max(ownEnd, Math.min(next, limit));
  const raw = s.text.slice(first.start, end);
  const text = raw.trim();
  const start = s.start + first.start + raw.indexOf(text);
  return { text, evidence: { quote: text, start, end: start + text.length } };
}

const CLAUSE_EDGE = /[,;:()–—]|\s-\s|\b(?:and|but|so|because|since|although|though|while|whereas)\b/gi;

/**
 * For one sentence, the clause that holds a position: punctuation and "and", "but", "so" part them.
 * The edges are found once, so asking for every commitment in a long dictated memo stays linear.
 */
export function clauseFinder(text: string): (at: number) => { start: number; end: number } {
  const edges = [...text.matchAll(CLAUSE_EDGE)].map((m) => ({ from: m.index, to: m.index + m[0].length }));
  return (at) => {
    // The first edge that starts after `at`, by binary search.
    let lo = 0;
    let hi = edges.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (edges[mid]!.from <= at) lo = mid + 1;
      else hi = mid;
    }
    let before = lo - 1;
    while (before >= 0 && edges[before]!.from === at) before--;
    return {
      start: before >= 0 ? edges[before]!.to : 0,
      end: lo < edges.length ? edges[lo]!.from : text.length,
    };
  };
}

const FILLER = new Set(
  (
    'a an the and or to of for on in at by with from me us you them him her it this that these those ' +
    "i we they he she i'll we'll will shall going can could would should let let's also then just " +
    'over back up out our your their my his its be is are get make sure please so next week ' +
    'monday tuesday wednesday thursday friday saturday sunday today tomorrow end eod eow'
  ).split(' '),
);

/** The words that say what is to be done: "send", "proposal", "Dana"; not who, when or how. */
function actionWords(text: string): Set<string> {
  return new Set(
    text
      .toLowerCase()
      .replace(/[^\p{L}\p{N}'\s]+/gu, ' ')
      .split(/\s+/)
      .filter((w) => w.length > 1 && !FILLER.has(w) && !/^\d+(?:st|nd|rd|th)?$/.test(w)),
  );
}

/**
 * One action said twice: the same words, or the shorter wording's action words all found in the
 * longer but for one, with at least two in common ("I'll send the order form Friday" and "Will send
 * over the order form by Friday" in a later message of the thread). Steps owned by two different
 * people or due on two different days are two steps.
 */
function sameAction(a: NextStep, x: Set<string>, b: NextStep, y: Set<string>): boolean {
  if (a.owner && b.owner && a.owner !== b.owner) return false;
  if (a.dueDate && b.dueDate && a.dueDate !== b.dueDate) return false;
  const [shorter, longer] = x.size <= y.size ? [x, y] : [y, x];
  if (shorter.size === 0) return a.text.toLowerCase() === b.text.toLowerCase();
  const shared = [...shorter].filter((w) => longer.has(w)).length;
  return shared === shorter.size || (shared >= 2 && shared + 1 >= shorter.size);
}

const RANK: Record<NextStepPriority, number> = { high: 2, medium: 1, low: 0 };

/**
 * Duplicates merge into the first mention, which takes whatever owner and urgency a repeat adds; a
 * repeat that gives the date the first lacks takes its place. Once `max` different steps are kept, later ones only merge: the list is cut there anyway,
 * and comparing each of thousands of steps with every other would grow with the square of the text.
 */
export function mergeDuplicateSteps(steps: NextStep[], max: number): NextStep[] {
  const kept: { step: NextStep; words: Set<string> }[] = [];
  for (const step of steps) {
    const words = actionWords(step.text);
    const i = kept.findIndex((k) => sameAction(k.step, k.words, step, words));
    if (i < 0) {
      if (kept.length < max) kept.push({ step, words });
      continue;
    }
    const k = kept[i]!.step;
    // A date must stand in the step's own quote, so a repeat that says when replaces the first mention.
    const base = !k.dueDate && step.dueDate ? step : k;
    kept[i]!.step = {
      ...base,
      owner: base.owner ?? (base === k ? step.owner : k.owner),
      priority: RANK[step.priority] > RANK[k.priority] ? step.priority : k.priority,
    };
  }
  return kept.map((k) => k.step);
}
