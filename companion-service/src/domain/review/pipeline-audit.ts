import type { PipelineDataset } from '../pipeline/records.js';
import { indexPipeline, type DealFacts, type PipelineIndex } from '../hygiene/deal-facts.js';
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

function evaluateAll(
  index: PipelineIndex,
  rules: PipelineRules,
  detail = true,
): Map<string, DealSignals & { deal: DealFacts }> {
  const out = new Map<string, DealSignals & { deal: DealFacts }>();
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
  const weekAgoScores = new Map<string, RiskScore>();
  if (input.weekAgo) {
    const weekAgoDay = index.asOfDay - 7;
    const before = indexPipeline(
      input.weekAgo,
      rules.stages,
      new Date(weekAgoDay * 86_400_000).toISOString().slice(0, 10),
    );
    for (const [id, { findings }] of evaluateAll(before, rules, false))
      weekAgoScores.set(id, scoreRisk(findings));
  }

  const matcher = new PhaseMatcher(rules.phases);
  const deals: DealAudit[] = [];
  for (const [id, { deal, findings, completeness }] of evaluated) {
    const o = deal.opportunity;
    const risk = scoreRisk(findings);
    deals.push({
      ...dealHeader(o),
      findings,
      risk,
      trend: riskTrend(risk, input.weekAgo ? (weekAgoScores.get(id) ?? null) : null),
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
    lastDataDate: index.lastDataDate,
    warnings: warningsFor(index, undefinedCounts),
    totals: {
      opportunities: index.deals.length,
      open: evaluated.size,
      closed: index.deals.length - evaluated.size,
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
      checked: input.dataset.contacts.length,
      duplicates: findDuplicateContacts(input.dataset.contacts),
      malformed: findMalformedContacts(input.dataset.contacts),
    },
    queues: buildActionQueues(
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

function warningsFor(index: PipelineIndex, undefinedStages: Map<string, number>): string[] {
  const warnings: string[] = [];
  const last = dayNumber(index.lastDataDate);
  if (last !== null && index.asOfDay - last > FAR_AS_OF_DAYS) {
    warnings.push(
      `The as-of date ${index.asOf} is ${index.asOfDay - last} days after the newest date in the data (${index.lastDataDate}): every open deal looks stale and every close date passed. To audit the pipeline as it stood when it was exported, pass --as-of ${index.lastDataDate}.`,
    );
  }
  if (last === null)
    warnings.push(
      'The data holds no dates up to the as-of date: staleness and close dates cannot be judged.',
    );
  for (const [stage, n] of undefinedStages) {
    warnings.push(
      `Stage "${stage}" (${n} open deals) has no Stage_Definition__mdt record: no expected days or required fields for it; ${index.stageAverages.has(stage.toLowerCase()) ? "time in stage is judged against this org's history" : 'time in stage and completeness are not judged'}.`,
    );
  }
  return warnings;
}
