/**
 * The yardstick for extraction: how labelled expectations and an extractor's output are matched and
 * counted. Pure functions only, so the matching rules are tested on their own (test/eval) and the
 * runner is left with reading files and printing.
 */

export interface Counts {
  tp: number;
  fp: number;
  fn: number;
}

export interface Scores {
  precision: number | null;
  recall: number | null;
  f1: number | null;
}

export const zeroCounts = (): Counts => ({ tp: 0, fp: 0, fn: 0 });

export function addCounts(into: Counts, more: Counts): Counts {
  into.tp += more.tp;
  into.fp += more.fp;
  into.fn += more.fn;
  return into;
}

/** Precision, recall and F1; null where the denominator is zero (nothing predicted, nothing expected). */
export function scoresOf({ tp, fp, fn }: Counts): Scores {
  const precision = tp + fp === 0 ? null : tp / (tp + fp);
  const recall = tp + fn === 0 ? null : tp / (tp + fn);
  let f1: number | null;
  if (tp + fp + fn === 0) f1 = null;
  else f1 = (2 * tp) / (2 * tp + fp + fn);
  return { precision, recall, f1 };
}

export interface Ratio {
  correct: number;
  total: number;
}

export const ratioOf = ({ correct, total }: Ratio): number | null => (total === 0 ? null : correct / total);

// ---------------------------------------------------------------- names

export function normalizePersonName(name: string): string {
  return name.normalize('NFC').trim().replace(/\s+/g, ' ').toLowerCase();
}

/**
 * Same person: equal ignoring case and surrounding space, or one side is a single token equal to the
 * other side's first token ("Roger" and "Roger Lane").
 */
export function personNamesMatch(a: string, b: string): boolean {
  const x = normalizePersonName(a);
  const y = normalizePersonName(b);
  if (x === '' || y === '') return false;
  if (x === y) return true;
  const xt = x.split(' ');
  const yt = y.split(' ');
  if (xt.length === 1 && yt.length > 1) return yt[0] === x;
  if (yt.length === 1 && xt.length > 1) return xt[0] === y;
  return false;
}

/** "Gong.io", "Clari Inc." and "clari" are one vendor: case, a trailing .io/.ai and Inc are ignored. */
export function normalizeCompetitorName(name: string): string {
  return name
    .normalize('NFC')
    .trim()
    .toLowerCase()
    .replace(/(?:\.io|\.ai|,?\s+inc\.?)$/, '')
    .trim();
}

// ---------------------------------------------------------------- one-to-one matching

export interface Pairing<E, P> {
  pairs: { expected: E; predicted: P }[];
  missing: E[];
  extra: P[];
}

/**
 * Pairs items one-to-one, trying each rule in turn over what is still unpaired, so a stronger rule
 * (an exact name) claims its partner before a weaker one (a first name) can.
 */
export function pairUp<E, P>(
  expected: E[],
  predicted: P[],
  rules: ((e: E, p: P) => boolean)[],
): Pairing<E, P> {
  const freeE = expected.map(() => true);
  const freeP = predicted.map(() => true);
  const pairs: { expected: E; predicted: P }[] = [];
  for (const rule of rules) {
    expected.forEach((e, i) => {
      if (!freeE[i]) return;
      const j = predicted.findIndex((p, k) => freeP[k] && rule(e, p));
      if (j < 0) return;
      freeE[i] = false;
      freeP[j] = false;
      pairs.push({ expected: e, predicted: predicted[j]! });
    });
  }
  return {
    pairs,
    missing: expected.filter((_, i) => freeE[i]),
    extra: predicted.filter((_, k) => freeP[k]),
  };
}

export const countsOf = (p: Pairing<unknown, unknown>): Counts => ({
  tp: p.pairs.length,
  fp: p.extra.length,
  fn: p.missing.length,
});

// ---------------------------------------------------------------- fields

export function matchCompetitors(expected: string[], predicted: string[]): Pairing<string, string> {
  // The same vendor reported twice is one prediction, not a false positive.
  const seen = new Set<string>();
  const unique = predicted.filter((name) => {
    const key = normalizeCompetitorName(name);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
  return pairUp(expected, unique, [(e, p) => normalizeCompetitorName(e) === normalizeCompetitorName(p)]);
}

export interface PersonLike {
  name: string;
  affiliation: string | null;
  role: string | null;
}

export interface StakeholderScore {
  pairing: Pairing<PersonLike, PersonLike>;
  affiliation: Ratio;
  role: Ratio;
}

/** Stakeholders by name; affiliation is judged over matched people, role over matched people labelled with one. */
export function matchStakeholders(expected: PersonLike[], predicted: PersonLike[]): StakeholderScore {
  const pairing = pairUp(expected, predicted, [
    (e, p) => normalizePersonName(e.name) === normalizePersonName(p.name),
    (e, p) => personNamesMatch(e.name, p.name),
  ]);
  const affiliation = { correct: 0, total: pairing.pairs.length };
  const role = { correct: 0, total: 0 };
  for (const { expected: e, predicted: p } of pairing.pairs) {
    if (e.affiliation === p.affiliation) affiliation.correct++;
    if (e.role !== null) {
      role.total++;
      if (e.role === p.role) role.correct++;
    }
  }
  return { pairing, affiliation, role };
}

export interface Money {
  amount: number;
  currency: string;
}

export function moneyMatches(expected: Money, predicted: Money): boolean {
  if (expected.currency.toUpperCase() !== predicted.currency.toUpperCase()) return false;
  return Math.abs(predicted.amount - expected.amount) <= 0.005 * Math.abs(expected.amount);
}

/**
 * A single-valued field: right is a true positive, an invented value a false positive, a missed one
 * a false negative, and a wrong value both.
 */
export function scoreSingle<T>(
  expected: T | null,
  predicted: T | null,
  same: (e: T, p: T) => boolean,
): Counts {
  if (expected === null && predicted === null) return zeroCounts();
  if (expected === null) return { tp: 0, fp: 1, fn: 0 };
  if (predicted === null) return { tp: 0, fp: 0, fn: 1 };
  return same(expected, predicted) ? { tp: 1, fp: 0, fn: 0 } : { tp: 0, fp: 1, fn: 1 };
}

export const scoreBudget = (expected: Money | null, predicted: Money | null): Counts =>
  scoreSingle(expected, predicted, moneyMatches);

export const scoreTimelineDate = (expected: string | null, predicted: string | null): Counts =>
  scoreSingle(expected, predicted, (e, p) => e === p);

export interface StageCall {
  to: string | null;
  direction: string;
}

/** No suggestion at all means "stay where you are". */
export function stageOrStay(suggestion: StageCall | null, currentStage: string | null): StageCall {
  return suggestion ?? { to: currentStage, direction: 'none' };
}

export function stageCorrect(expected: StageCall, predicted: StageCall): boolean {
  const norm = (s: string | null) => (s === null ? null : s.trim().toLowerCase());
  return norm(expected.to) === norm(predicted.to) && expected.direction === predicted.direction;
}

export interface StepLike {
  owner: string | null;
  dueDate: string | null;
  /** high, medium or low; absent on a label written before priorities were labelled. */
  priority?: string | null;
}

export interface NextStepScore {
  pairing: Pairing<StepLike, StepLike>;
  dueDate: Ratio;
  owner: Ratio;
  priority: Ratio;
}

/**
 * Next steps are counted, then paired (same due date and owner, then same due date, then same owner,
 * then in order) to judge their due dates, owners where the label names one, and priorities where
 * the label gives one.
 */
export function matchNextSteps(expected: StepLike[], predicted: StepLike[]): NextStepScore {
  const sameOwner = (e: StepLike, p: StepLike) =>
    e.owner !== null && p.owner !== null && personNamesMatch(e.owner, p.owner);
  const sameDate = (e: StepLike, p: StepLike) => e.dueDate !== null && e.dueDate === p.dueDate;
  const pairing = pairUp(expected, predicted, [
    (e, p) => sameDate(e, p) && sameOwner(e, p),
    sameDate,
    sameOwner,
    () => true,
  ]);
  const dueDate = { correct: 0, total: pairing.pairs.length };
  const owner = { correct: 0, total: 0 };
  const priority = { correct: 0, total: 0 };
  for (const { expected: e, predicted: p } of pairing.pairs) {
    if (e.dueDate === p.dueDate) dueDate.correct++;
    if (e.priority) {
      priority.total++;
      if (e.priority === p.priority) priority.correct++;
    }
    if (e.owner !== null) {
      owner.total++;
      if (sameOwner(e, p)) owner.correct++;
    }
  }
  return { pairing, dueDate, owner, priority };
}

// ---------------------------------------------------------------- evidence

export interface EvidenceLike {
  quote: unknown;
  start: unknown;
  end: unknown;
}

/**
 * Every object in the output that carries a quote: the promise is that each one is verbatim. The
 * `dropped` list is the record of what was refused (an invented quote among them), not evidence.
 */
export function collectEvidence(value: unknown, found: EvidenceLike[] = []): EvidenceLike[] {
  if (Array.isArray(value)) {
    for (const item of value) collectEvidence(item, found);
  } else if (value !== null && typeof value === 'object') {
    const obj = value as Record<string, unknown>;
    if ('quote' in obj) found.push({ quote: obj.quote, start: obj.start, end: obj.end });
    for (const [key, child] of Object.entries(obj)) if (key !== 'dropped') collectEvidence(child, found);
  }
  return found;
}

export function isVerbatim(text: string, evidence: EvidenceLike): boolean {
  const { quote, start, end } = evidence;
  if (typeof quote !== 'string' || quote.length === 0) return false;
  if (!Number.isInteger(start) || !Number.isInteger(end)) return false;
  return text.slice(start as number, end as number) === quote;
}

export interface EvidenceCheck extends Ratio {
  failures: EvidenceLike[];
}

export function checkEvidence(text: string, output: unknown): EvidenceCheck {
  const all = collectEvidence(output);
  const failures = all.filter((e) => !isVerbatim(text, e));
  return { correct: all.length - failures.length, total: all.length, failures };
}
