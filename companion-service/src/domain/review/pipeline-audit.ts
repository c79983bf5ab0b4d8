import type { PipelineContact, PipelineDataset } from '../pipeline/records.js';
import {
  indexPipeline,
  type DealFacts,
  type PipelineIndex,
  type StageAverage,
} from '../hygiene/deal-facts.js';
import { evaluateDeal, type DealSignals, type Finding } from '../hygiene/deal-signals.js';
import { completenessByRep, type Completeness, type RepCompleteness } from '../hygiene/completeness.js';
import {
  findDuplicateContacts,
  findMalformedContacts,
  type DuplicateGroup,
  type MalformedValue,
} from '../hygiene/contact-quality.js';
import type { PipelineRules } from '../hygiene/pipeline-rules.js';
import { dayNumber } from '../hygiene/calendar-days.js';
import { scoreRisk, riskTrend, type RiskScore, type RiskTrend } from '../risk/deal-risk.js';
import { RISK_SIGNALS, type RiskSignal } from '../risk/risk-rules.js';
import { decisionPhase, PhaseMatcher, type DecisionPhase } from '../buying-phase/decision-phase.js';
import { AmountScale, buildActionQueues, NO_OWNER, type RepQueue } from '../actions/next-best-action.js';
import { weeklyReview, type WeeklyReview } from './weekly-review.js';
import { dealHeader, type DealHeader } from './deal-header.js';

/**
 * The pipeline audit: every engine over one dataset as of one date, in the shape the CLI prints and
 * the service writes back. Pure: the caller reads the files, the rules and the clock.
 */

/** An as-of date this many days past the newest date in the data makes every deal look stale. */
export const FAR_AS_OF_DAYS = 30;

export interface AuditInput {
  dataset: PipelineDataset;
  rules: PipelineRules;
  asOf: string;
  /** The pipeline as it stood a week before as-of, for the risk trend; null skips the trend. */
  weekAgo: PipelineDataset | null;
  formatMoney: (amount: number) => string;
  /** Win probabilities from the forecast, by opportunity id, when one was run. */
  probabilities?: ReadonlyMap<string, number> | null;
}

export interface FlagCount {
  signal: RiskSignal;
  label: string;
  category: 'Hygiene' | 'Risk';
  rule: string;
  deals: number;
  /** Open deals this rule could not judge because its inputs are unknown. */
  notJudged: number;
}

export interface DealAudit extends DealHeader {
  findings: Finding[];
  risk: RiskScore;
  trend: RiskTrend;
  completeness: Completeness | null;
  decisionPhase: DecisionPhase | null;
}

export interface PipelineAudit {
  asOf: string;
  lastDataDate: string | null;
  warnings: string[];
  totals: { opportunities: number; open: number; closed: number; flagged: number };
  flagCounts: FlagCount[];
  /** Signals sales ops turned off or never configured. */
  notChecked: RiskSignal[];
  /** Stages in the data with no Stage_Definition__mdt record: no expected days, no required fields. */
  undefinedStages: { stage: string; deals: number }[];
  completenessByRep: RepCompleteness[];
  /** Every open deal, riskiest first. */
  deals: DealAudit[];
  contacts: { checked: number; duplicates: DuplicateGroup[]; malformed: MalformedValue[] };
  queues: RepQueue[];
  review: WeeklyReview;
}

/** An open deal as the engines judged it: its facts, and its findings in words. */
export type JudgedDeal = DealSignals & { deal: DealFacts };

/**
 * What the engines found, before it is laid out as the audit: the object engines (auditPipeline)
 * and the column engines (column-audit.ts) each judge the deals their way, then share the layout.
 */
export interface JudgedPipeline {
  asOf: string;
  asOfDay: number;
  /** Deals that existed at the as-of date, open and closed. */
  dealCount: number;
  /** The open deals, in the data's order. */
  open: ReadonlyMap<string, JudgedDeal>;
  /** Each deal's score a week before; null when no week-ago pipeline was given. */
  weekAgoScores: ReadonlyMap<string, RiskScore> | null;
  lastDataDate: string | null;
  stageAverages: ReadonlyMap<string, StageAverage>;
  contacts: readonly PipelineContact[];
  /** The action queue when the engines ranked it already; null to rank it from the judged deals. */
  queues: RepQueue[] | null;
}

function evaluateAll(index: PipelineIndex, rules: PipelineRules, detail = true): Map<string, JudgedDeal> {
  const out = new Map<string, JudgedDeal>();
  for (const deal of index.deals) {
    if (deal.opportunity.isClosed) continue;
    out.set(deal.opportunity.id, { deal, ...evaluateDeal(deal, index, rules, { detail }) });
  }
  return out;
}

export function auditPipeline(input: AuditInput): PipelineAudit {
  const { rules, asOf } = input;
  const index = indexPipeline(input.dataset, rules.stages, asOf);
  const evaluated = evaluateAll(index, rules);
  let weekAgoScores: Map<string, RiskScore> | null = null;
  if (input.weekAgo) {
    weekAgoScores = new Map();
    const weekAgoDay = index.asOfDay - 7;
    const before = indexPipeline(
      input.weekAgo,
      rules.stages,
      new Date(weekAgoDay * 86_400_000).toISOString().slice(0, 10),
    );
    for (const [id, { findings }] of evaluateAll(before, rules, false))
      weekAgoScores.set(id, scoreRisk(findings));
  }
  return assembleAudit(
    {
      asOf,
      asOfDay: index.asOfDay,
      dealCount: index.deals.length,
      open: evaluated,
      weekAgoScores,
      lastDataDate: index.lastDataDate,
      stageAverages: index.stageAverages,
      contacts: input.dataset.contacts,
      queues: null,
    },
    input,
  );
}

/** The audit laid out from the judged deals: the same shape whichever engines judged them. */
export function assembleAudit(
  judged: JudgedPipeline,
  input: Pick<AuditInput, 'rules' | 'formatMoney' | 'probabilities'>,
): PipelineAudit {
  const { rules } = input;
  const asOf = judged.asOf;
  const evaluated = judged.open;
  const weekAgoScores = judged.weekAgoScores;
  const matcher = new PhaseMatcher(rules.phases);
  const deals: DealAudit[] = [];
  for (const [id, { deal, findings, completeness }] of evaluated) {
    const o = deal.opportunity;
    const risk = scoreRisk(findings);
    deals.push({
      ...dealHeader(o),
      findings,
      risk,
      trend: riskTrend(risk, weekAgoScores ? (weekAgoScores.get(id) ?? null) : null),
      completeness,
      decisionPhase: deal.engagement.length > 0 ? decisionPhase(deal.engagement, matcher) : null,
    });
  }
  deals.sort(
    (a, b) =>
      b.risk.score - a.risk.score ||
      (b.amount ?? -Infinity) - (a.amount ?? -Infinity) ||
      (a.opportunityId < b.opportunityId ? -1 : 1),
  );

  const counts = new Map<RiskSignal, { deals: number; notJudged: number }>();
  for (const signal of RISK_SIGNALS) counts.set(signal, { deals: 0, notJudged: 0 });
  for (const { findings, unjudged } of evaluated.values()) {
    for (const f of findings) counts.get(f.signal)!.deals++;
    for (const s of unjudged) counts.get(s)!.notJudged++;
  }
  const flagCounts: FlagCount[] = [...rules.risk.bySignal.values()]
    .map((rule) => ({
      signal: rule.signal,
      label: rule.label,
      category: rule.category,
      rule: `Risk_Rule__mdt.${rule.developerName}`,
      ...counts.get(rule.signal)!,
    }))
    .sort(
      (a, b) =>
        (a.category === b.category ? 0 : a.category === 'Hygiene' ? -1 : 1) ||
        b.deals - a.deals ||
        a.signal.localeCompare(b.signal),
    );

  const undefinedCounts = new Map<string, number>();
  for (const { deal } of evaluated.values()) {
    if (!deal.stage)
      undefinedCounts.set(deal.opportunity.stage, (undefinedCounts.get(deal.opportunity.stage) ?? 0) + 1);
  }

  const open = [...evaluated.values()];
  const reviewInputs = deals.map((d) => {
    const facts = evaluated.get(d.opportunityId)!.deal;
    return {
      opportunity: facts.opportunity,
      stage: facts.stage,
      findings: d.findings,
      risk: d.risk,
      trend: d.trend,
      phase: d.decisionPhase,
      lastTouch: facts.lastTouch,
    };
  });
  const scale = new AmountScale(open.map((e) => e.deal.opportunity.amount));

  return {
    asOf,
    lastDataDate: judged.lastDataDate,
    warnings: warningsFor(judged, undefinedCounts),
    totals: {
      opportunities: judged.dealCount,
      open: evaluated.size,
      closed: judged.dealCount - evaluated.size,
      flagged: deals.filter((d) => d.findings.length > 0).length,
    },
    flagCounts,
    notChecked: [...rules.risk.notChecked],
    undefinedStages: [...undefinedCounts.entries()]
      .map(([stage, n]) => ({ stage, deals: n }))
      .sort((a, b) => b.deals - a.deals || a.stage.localeCompare(b.stage)),
    completenessByRep: completenessByRep(
      open
        .filter((e) => e.completeness !== null)
        .map((e) => ({ owner: e.deal.opportunity.owner ?? NO_OWNER, completeness: e.completeness! })),
    ),
    deals,
    contacts: {
      checked: judged.contacts.length,
      duplicates: findDuplicateContacts(judged.contacts),
      malformed: findMalformedContacts(judged.contacts),
    },
    queues:
      judged.queues ??
      buildActionQueues(
        reviewInputs.map((r) => ({
          opportunity: r.opportunity,
          findings: r.findings,
          risk: r.risk.score,
          lastTouch: r.lastTouch,
        })),
        asOf,
        input.formatMoney,
        input.rules.thresholds.actionTiming,
      ),
    review: weeklyReview(
      reviewInputs,
      asOf,
      input.formatMoney,
      input.probabilities ?? null,
      scale.median,
      input.rules.thresholds.reviewBands,
    ),
  };
}

function warningsFor(judged: JudgedPipeline, undefinedStages: Map<string, number>): string[] {
  const warnings: string[] = [];
  const last = dayNumber(judged.lastDataDate);
  if (last !== null && judged.asOfDay - last > FAR_AS_OF_DAYS) {
    warnings.push(
      `The as-of date ${judged.asOf} is ${judged.asOfDay - last} days after the newest date in the data (${judged.lastDataDate}): every open deal looks stale and every close date passed. To audit the pipeline as it stood when it was exported, pass --as-of ${judged.lastDataDate}.`,
    );
  }
  if (last === null)
    warnings.push(
      'The data holds no dates up to the as-of date: staleness and close dates cannot be judged.',
    );
  for (const [stage, n] of undefinedStages) {
    warnings.push(
      `Stage "${stage}" (${n} open deals) has no Stage_Definition__mdt record: no expected days or required fields for it; ${judged.stageAverages.has(stage.toLowerCase()) ? "time in stage is judged against this org's history" : 'time in stage and completeness are not judged'}.`,
    );
  }
  return warnings;
}
