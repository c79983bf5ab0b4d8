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
  /**
   * Both ends of a range. In a label: absent when the label does not say (only the amount is
   * scored), null when the budget is one figure, and a range must then not be reported.
   */
  range?: { low: number; high: number } | null;
}

const amountNear = (expected: number, predicted: number) =>
  Math.abs(predicted - expected) <= 0.005 * Math.abs(expected);

/** Right when the currency is equal, the amount within 0.5% and, where the label gives one, both ends of its range. */
export function moneyMatches(expected: Money, predicted: Money): boolean {
  if (expected.currency.toUpperCase() !== predicted.currency.toUpperCase()) return false;
  if (!amountNear(expected.amount, predicted.amount)) return false;
  if (expected.range === undefined) return true;
  if (expected.range === null || !predicted.range) return !expected.range && !predicted.range;
  return (
    amountNear(expected.range.low, predicted.range.low) &&
    amountNear(expected.range.high, predicted.range.high)
  );
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

// ---------------------------------------------------------------- contact details

export const CONTACT_KINDS = ['title', 'email', 'phone', 'mobile'] as const;
export type ContactKind = (typeof CONTACT_KINDS)[number];

export interface DetailLike {
  person: string;
  kind: ContactKind;
  value: string;
}

/**
 * One value written two ways: an address in any case, a number by the digits it dials ("+1 312 555
 * 0199" and "(312) 555-0199" are not the same: the country code is part of what was said), a title
 * by its words.
 */
export function sameDetailValue(kind: ContactKind, a: string, b: string): boolean {
  if (kind === 'email') return a.trim().toLowerCase() === b.trim().toLowerCase();
  if (kind === 'phone' || kind === 'mobile') return a.replace(/\D/g, '') === b.replace(/\D/g, '');
  const words = (t: string) =>
    t
      .toLowerCase()
      .replace(/[^\p{L}\p{N}&]+/gu, ' ')
      .trim();
  return words(a) === words(b);
}

export type ContactDetailScore = Record<ContactKind, Pairing<DetailLike, DetailLike>>;

/** Per kind, one-to-one: the same person (as stakeholders are matched) and the same value. */
export function matchContactDetails(expected: DetailLike[], predicted: DetailLike[]): ContactDetailScore {
  const of = <T extends DetailLike>(items: T[], kind: ContactKind) => items.filter((d) => d.kind === kind);
  return Object.fromEntries(
    CONTACT_KINDS.map((kind) => [
      kind,
      pairUp(of(expected, kind), of(predicted, kind), [
        (e, p) => personNamesMatch(e.person, p.person) && sameDetailValue(kind, e.value, p.value),
      ]),
    ]),
  ) as ContactDetailScore;
}

// ---------------------------------------------------------------- company and deal facts

/** The labels of a case's company and deal facts (eval/README.md, `facts`). */
export interface FactsLike {
  employees: number | null;
  revenue: Money | null;
  techStack: string[];
  users: number | null;
  /** Labelled as a fragment of the conversation the use case must contain; predicted as its text and quote. */
  useCase: string | null;
  decisionTimeline: { date: string | null } | null;
}

export interface PredictedFacts extends Omit<FactsLike, 'useCase'> {
  useCase: { text: string; quote: string } | null;
}

export interface FactsScore {
  employees: Counts;
  revenue: Counts;
  techStack: Pairing<string, string>;
  users: Counts;
  useCase: Counts;
  decisionTimeline: Counts;
  expected: FactsLike;
  predicted: PredictedFacts;
}

const squash = (text: string) => text.toLowerCase().replace(/\s+/g, ' ').trim();

/**
 * Counts compare exactly, revenue as budget does, the stack one-to-one by name as competitors are, a
 * decision timeline by its date (a stated timeline with no day equals one read with no day), and a
 * use case is right when what was read holds the labelled words (in its text or its quote).
 */
export function scoreFacts(expected: FactsLike, predicted: PredictedFacts): FactsScore {
  return {
    employees: scoreSingle(expected.employees, predicted.employees, (e, p) => e === p),
    revenue: scoreSingle(expected.revenue, predicted.revenue, moneyMatches),
    techStack: matchCompetitors(expected.techStack, predicted.techStack),
    users: scoreSingle(expected.users, predicted.users, (e, p) => e === p),
    useCase: scoreSingle<string | { text: string; quote: string }>(
      expected.useCase,
      predicted.useCase,
      (e, p) =>
        typeof e === 'string' &&
        typeof p !== 'string' &&
        (squash(p.quote).includes(squash(e)) || squash(p.text).includes(squash(e))),
    ),
    decisionTimeline: scoreSingle(
      expected.decisionTimeline,
      predicted.decisionTimeline,
      (e, p) => e.date === p.date,
    ),
    expected,
    predicted,
  };
}
