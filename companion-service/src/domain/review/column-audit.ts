import type { PipelineColumns } from '../pipeline/pipeline-columns.js';
import { NO_DAY } from '../pipeline/pipeline-columns.js';
import { columnsAsOf, type ColumnsAsOf } from '../pipeline/columns-as-of.js';
import { addDays, isoDay } from '../hygiene/calendar-days.js';
import { ColumnHygiene, FINDING_ORDER } from '../hygiene/column-hygiene.js';
import { dealFactsAt } from '../hygiene/column-findings.js';
import { evaluateDeal, type Finding } from '../hygiene/deal-signals.js';
import type { PipelineRules } from '../hygiene/pipeline-rules.js';
import { riskScores } from '../risk/column-risk.js';
import { scoreRisk, type RiskScore } from '../risk/deal-risk.js';
import { columnActionQueues } from '../actions/column-actions.js';
import { assembleAudit, type JudgedDeal, type PipelineAudit } from './pipeline-audit.js';

/**
 * The pipeline audit over columns: the as-of states, which rules each deal meets today and a week
 * ago, the risk scores and the action queue are column passes; only the open deals the report lays
 * out one by one (every finding with its facts, completeness, the buying phase) are read back as
 * facts for the object engine's words. The layout is auditPipeline's own (assembleAudit), so the
 * report is the same whichever engines judged the pipeline (the audit command's test compares).
 */

export interface ColumnAuditInput {
  columns: PipelineColumns;
  rules: PipelineRules;
  asOf: string;
  formatMoney: (amount: number) => string;
  /** Win probabilities from the forecast, by opportunity id, when one was run. */
  probabilities?: ReadonlyMap<string, number> | null;
}

export interface ColumnAudit {
  audit: PipelineAudit;
  /** The deals as they stood at the as-of date, which the audit judged. */
  view: ColumnsAsOf;
  /** Deals with no date at all, left out because the as-of date is before the export. */
  undatedLeftOut: number;
}

export function auditColumns(input: ColumnAuditInput): ColumnAudit {
  const { columns, rules, asOf } = input;
  const today = columnsAsOf(columns, asOf);
  const weekAgo = columnsAsOf(columns, addDays(asOf, -7));
  const hygiene = new ColumnHygiene(today, rules);
  const { flags, lastTouchDay } = hygiene.flags();

  const weekAgoFlags = new ColumnHygiene(weekAgo, rules).flags().flags;
  const weekAgoScores = new Map<string, RiskScore>();
  const idOf = (row: number) => columns.ids.value(columns.opportunities.id[row]!)!;
  const score = scoreOfFlags(rules);
  for (let k = 0; k < weekAgo.count; k++)
    if (!weekAgo.isClosed[k]) weekAgoScores.set(idOf(weekAgo.row[k]!), score(weekAgoFlags[k]!));

  const open = new Map<string, JudgedDeal>();
  const h = columns.history;
  let lastDataDay = NO_DAY;
  for (let k = 0; k < today.count; k++) {
    // The newest date known at as-of, as indexPipeline finds it: touches, closings, history rows.
    let seen = lastTouchDay[k]!;
    if (today.isClosed[k] && today.closeDay[k]! <= today.asOfDay) seen = Math.max(seen, today.closeDay[k]!);
    const cut = hygiene.historyCut[k]!;
    if (cut > h.start[today.row[k]!]!) seen = Math.max(seen, h.day[cut - 1]!);
    if (seen !== NO_DAY && seen > lastDataDay) lastDataDay = seen;
    if (today.isClosed[k]) continue;
    const deal = dealFactsAt(hygiene, k);
    open.set(deal.opportunity.id, { deal, ...evaluateDeal(deal, hygiene.index, rules) });
  }

  const audit = assembleAudit(
    {
      asOf,
      asOfDay: today.asOfDay,
      dealCount: today.count,
      open,
      weekAgoScores,
      lastDataDate: lastDataDay === NO_DAY ? null : isoDay(lastDataDay),
      stageAverages: hygiene.stageAverages,
      contacts: columns.contacts,
      queues: columnActionQueues(
        hygiene,
        flags,
        lastTouchDay,
        riskScores(flags, rules.risk),
        input.formatMoney,
        rules.thresholds.actionTiming,
      ),
    },
    input,
  );
  return { audit, view: today, undatedLeftOut: today.undatedLeftOut };
}

/**
 * A deal's score from the rules it met, for the week-ago pass that needs no words: the findings
 * as scoreRisk reads them (signal, label, weight), so the trend names what was added and cleared.
 */
function scoreOfFlags(rules: PipelineRules): (met: number) => RiskScore {
  const findingOfBit = FINDING_ORDER.map((signal): Finding | null => {
    const rule = rules.risk.bySignal.get(signal);
    return rule
      ? {
          signal,
          rule: `Risk_Rule__mdt.${rule.developerName}`,
          label: rule.label,
          category: rule.category,
          weight: rule.weight,
          action: rule.recommendedAction,
          evidence: '',
          facts: {},
        }
      : null;
  });
  const none = scoreRisk([]);
  return (met) => {
    if (met === 0) return none;
    const findings: Finding[] = [];
    for (let b = 0; b < FINDING_ORDER.length; b++) if (met & (1 << b)) findings.push(findingOfBit[b]!);
    return scoreRisk(findings);
  };
}
