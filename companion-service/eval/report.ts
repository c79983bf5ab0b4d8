import {
  addCounts,
  CONTACT_KINDS as CONTACT_DETAIL_KINDS,
  ratioOf,
  scoresOf,
  zeroCounts,
  type Counts,
  type Ratio,
} from './metrics.js';
import type { CaseScore, FactsTotals, Totals } from './score-case.js';

/** Plain-text tables for the evaluation: what `npm run eval:extract` prints. */

export interface Target {
  name: string;
  value: number | null;
  minimum: number;
  /** A rate with nothing to measure (no evidence emitted at all) cannot miss its target. */
  vacuous: boolean;
}

export function targetsOf(t: Totals): Target[] {
  return [
    { name: 'competitors F1', value: scoresOf(t.competitors).f1, minimum: 0.9, vacuous: false },
    { name: 'stakeholders F1', value: scoresOf(t.stakeholders).f1, minimum: 0.9, vacuous: false },
    { name: 'budget F1', value: scoresOf(t.budget).f1, minimum: 0.9, vacuous: false },
    {
      name: 'due date accuracy',
      value: ratioOf(t.dueDate),
      minimum: 0.85,
      vacuous: t.dueDate.total === 0,
    },
    { name: 'stage accuracy', value: ratioOf(t.stage), minimum: 0.8, vacuous: false },
    { name: 'verbatim evidence', value: ratioOf(t.evidence), minimum: 1, vacuous: t.evidence.total === 0 },
  ];
}

export const targetMet = (target: Target): boolean =>
  target.vacuous || (target.value !== null && target.value >= target.minimum - 1e-9);

const pct = (v: number | null) => (v === null ? 'n/a' : v.toFixed(3));

function table(header: string[], rows: string[][], rightAligned: (i: number) => boolean): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => (rightAligned(i) ? c.padStart(widths[i]!) : c.padEnd(widths[i]!)))
      .join('  ')
      .trimEnd();
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}

export function renderFigures(t: Totals): string {
  const countRow = (name: string, c: Counts, target = '') => {
    const s = scoresOf(c);
    return [
      name,
      String(c.tp),
      String(c.fp),
      String(c.fn),
      pct(s.precision),
      pct(s.recall),
      pct(s.f1),
      target,
    ];
  };
  const counted = table(
    ['field (micro over cases)', 'TP', 'FP', 'FN', 'precision', 'recall', 'F1', 'target'],
    [
      countRow('competitors', t.competitors, 'F1 >= 0.90'),
      countRow('stakeholders', t.stakeholders, 'F1 >= 0.90'),
      countRow('budget (currency, amount +-0.5%)', t.budget, 'F1 >= 0.90'),
      countRow('timeline date', t.timeline),
      countRow('next steps (count)', t.nextSteps),
    ],
    (i) => i > 0 && i < 7,
  );
  const ratioRow = (name: string, r: Ratio, target = '') => [
    name,
    `${r.correct}/${r.total}`,
    pct(ratioOf(r)),
    target,
  ];
  const rated = table(
    ['rate', 'right/total', 'accuracy', 'target'],
    [
      ratioRow('stakeholder affiliation (matched people)', t.affiliation),
      ratioRow('stakeholder role (matched, labelled with a role)', t.role),
      ratioRow('next-step due date (paired steps)', t.dueDate, '>= 0.85'),
      ratioRow('next-step owner (paired, labelled with an owner)', t.owner),
      ratioRow('next-step priority (paired, labelled with one)', t.priority),
      ratioRow('stage (to and direction both right)', t.stage, '>= 0.80'),
      ratioRow('verbatim evidence (text.slice(start,end) === quote)', t.evidence, '= 1.000'),
    ],
    (i) => i === 1 || i === 2,
  );
  return `${counted}\n\n${rated}`;
}

export function renderTargets(targets: Target[]): string {
  return targets
    .map((tg) => {
      const verdict = targetMet(tg) ? 'met' : 'MISSED';
      const shown = tg.vacuous ? 'n/a (nothing to measure)' : pct(tg.value);
      return `  ${verdict.padEnd(6)}  ${tg.name.padEnd(18)} ${shown.padStart(6)}  (target >= ${tg.minimum.toFixed(2)})`;
    })
    .join('\n');
}

export interface CaseLine {
  id: string;
  format: string;
  ms: number;
  error: string | null;
  score: CaseScore;
}

const single = (c: Counts) => {
  if (c.tp) return 'ok';
  if (c.fp && c.fn) return 'WRONG';
  if (c.fn) return 'MISSED';
  if (c.fp) return 'INVENTED';
  return '-';
};
const found = (tp: number, fn: number, fp: number) => `${tp}/${tp + fn}${fp ? ` +${fp}` : ''}`;

export function renderCaseLines(lines: CaseLine[]): string {
  const rows = lines.map(({ id, format, ms, error, score: s }) => [
    id,
    format,
    error ? 'ERROR' : ms.toFixed(1),
    found(s.competitors.pairs.length, s.competitors.missing.length, s.competitors.extra.length),
    found(
      s.stakeholders.pairing.pairs.length,
      s.stakeholders.pairing.missing.length,
      s.stakeholders.pairing.extra.length,
    ),
    single(s.budget.counts),
    single(s.timeline.counts),
    s.stage.correct ? 'ok' : 'WRONG',
    found(
      s.nextSteps.pairing.pairs.length,
      s.nextSteps.pairing.missing.length,
      s.nextSteps.pairing.extra.length,
    ),
    `${s.evidence.correct}/${s.evidence.total}`,
  ]);
  return table(
    ['case', 'format', 'ms', 'competitors', 'people', 'budget', 'timeline', 'stage', 'steps', 'evidence'],
    rows,
    (i) => i === 2,
  );
}

export interface RealLine {
  file: string;
  format: string;
  words: number;
  ms: number;
  stakeholders: number;
  competitors: number;
  nextSteps: number;
  budget: string;
  stage: string;
  evidence: Ratio;
  error: string | null;
}

export function renderRealLines(lines: RealLine[]): string {
  const rows = lines.map((l) =>
    l.error
      ? [l.file, l.format, String(l.words), 'ERROR', '', '', '', '', l.error, '']
      : [
          l.file,
          l.format,
          String(l.words),
          l.ms.toFixed(1),
          String(l.stakeholders),
          String(l.competitors),
          String(l.nextSteps),
          l.budget,
          l.stage,
          `${l.evidence.correct}/${l.evidence.total}`,
        ],
  );
  return table(
    ['file', 'format', 'words', 'ms', 'people', 'competitors', 'steps', 'budget', 'stage', 'evidence'],
    rows,
    (i) => i >= 2 && i <= 6,
  );
}

/** Contact details per kind, over the cases labelled with them (older cases carry no such labels). */
export function renderContactDetails(t: Totals): string {
  const all = CONTACT_DETAIL_KINDS.reduce(
    (sum, kind) => addCounts(sum, t.contactDetails[kind]),
    zeroCounts(),
  );
  const row = (name: string, c: Counts) => {
    const s = scoresOf(c);
    return [name, String(c.tp), String(c.fp), String(c.fn), pct(s.precision), pct(s.recall), pct(s.f1)];
  };
  return table(
    [`contact details (${t.contactCases} labelled cases)`, 'TP', 'FP', 'FN', 'precision', 'recall', 'F1'],
    [
      ...CONTACT_DETAIL_KINDS.map((kind) => row(`contact ${kind}`, t.contactDetails[kind])),
      row('all kinds', all),
    ],
    (i) => i > 0,
  );
}

/** Company and deal facts, printed for the cases labelled with them (no target yet: issue 15 names none). */
export function renderFacts(f: FactsTotals): string {
  if (f.cases === 0) return '  company and deal facts: no case in this half is labelled with them';
  const row = (name: string, c: Counts) => {
    const s = scoresOf(c);
    return [name, String(c.tp), String(c.fp), String(c.fn), pct(s.precision), pct(s.recall), pct(s.f1)];
  };
  return table(
    [`company and deal facts (${f.cases} labelled cases)`, 'TP', 'FP', 'FN', 'precision', 'recall', 'F1'],
    [
      row('employees (the whole company)', f.employees),
      row('annual revenue (currency, amount +-0.5%)', f.revenue),
      row('tech stack (by name)', f.techStack),
      row('users / seats', f.users),
      row('use case (holds the labelled words)', f.useCase),
      row('decision timeline (date)', f.decisionTimeline),
    ],
    (i) => i > 0,
  );
}
