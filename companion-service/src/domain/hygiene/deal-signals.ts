import type { RiskRule, RiskRules, RiskSignal, RecommendedAction } from '../risk/risk-rules.js';
import type { PipelineRules } from './pipeline-rules.js';
import { stageKey, type DealFacts, type PipelineIndex } from './deal-facts.js';
import { completenessOf, fieldBlank, fieldLabel, type Completeness } from './completeness.js';
import { dayNumber } from './calendar-days.js';
import {
  championSilentEvidence,
  closeDatePassedEvidence,
  closeDateSlippedEvidence,
  competitorEvidence,
  missingFieldsEvidence,
  NO_NEXT_STEP_EVIDENCE,
  pricingObjectionEvidence,
  singleThreadedEvidence,
  skippedStageEvidence,
  staleEvidence,
  stuckInStageEvidence,
  zombieEvidence,
} from './finding-evidence.js';

/**
 * Which risk rules a deal meets as of a date, each with its evidence: the dates and counts that make
 * it true, in a sentence a sales-ops person can check against the record. A rule whose inputs are
 * unknown (no close date in the export, no history, no conversations) is not met: nothing is guessed.
 */

export interface Finding {
  signal: RiskSignal;
  /** Risk_Rule__mdt.<DeveloperName>, the rule a person can open in Setup. */
  rule: string;
  label: string;
  category: RiskRule['category'];
  weight: number;
  action: RecommendedAction;
  evidence: string;
  /** The same evidence as data, for json output and the action queue. */
  facts: Record<string, string | number | readonly string[]>;
}

export interface DealSignals {
  findings: Finding[];
  completeness: Completeness | null;
  /** Enabled rules this deal could not be judged on, because what they read is unknown. */
  unjudged: RiskSignal[];
}

type Meet = (signal: RiskSignal, evidence: () => string, facts: () => Finding['facts']) => void;
const NO_FACTS: Finding['facts'] = Object.freeze({});

const thresholdOf = (risk: RiskRules, signal: RiskSignal) => risk.bySignal.get(signal)?.threshold ?? null;

function meetInto(
  findings: Finding[],
  risk: RiskRules,
  detail: boolean | RiskSignal,
  ...[signal, evidence, facts]: Parameters<Meet>
): void {
  const rule = risk.bySignal.get(signal)!;
  const worded = detail === true || detail === signal;
  findings.push({
    signal,
    rule: `Risk_Rule__mdt.${rule.developerName}`,
    label: rule.label,
    category: rule.category,
    weight: rule.weight,
    action: rule.recommendedAction,
    evidence: worded ? evidence() : '',
    facts: worded ? facts() : NO_FACTS,
  });
}

/**
 * `detail: false` skips the evidence sentences and facts, for passes that only score; a signal in
 * its place words that one finding alone (the action queue quotes one finding per deal).
 */
export function evaluateDeal(
  deal: DealFacts,
  index: PipelineIndex,
  rules: PipelineRules,
  { detail = true }: { detail?: boolean | RiskSignal } = {},
): DealSignals {
  const o = deal.opportunity;
  if (o.isClosed) return { findings: [], completeness: null, unjudged: [] };
  const findings: Finding[] = [];
  const risk = rules.risk;
  const asOf = index.asOfDay;
  // The week-ago pass only needs which rules were met; its sentences are never shown. Bound rather
  // than a closure: evaluateDeal runs once a deal, and a named closure costs a name each time.
  const meet: Meet = meetInto.bind(null, findings, risk, detail);
  const stale = thresholdOf(risk, 'Stale');
  const touch = deal.lastTouch;
  if (stale !== null && touch && asOf - touch.day > stale) {
    meet(
      'Stale',
      () => staleEvidence(asOf - touch.day, stale, touch.date, touch.detail),
      () => ({
        lastTouch: touch.date,
        lastTouchSource: touch.source,
        daysSinceTouch: asOf - touch.day,
        thresholdDays: stale,
      }),
    );
  }

  const zombie = thresholdOf(risk, 'Zombie');
  if (zombie !== null && touch && asOf - touch.day > zombie) {
    meet(
      'Zombie',
      () => zombieEvidence(asOf - touch.day, zombie, touch.date, touch.detail),
      () => ({ lastTouch: touch.date, daysSinceTouch: asOf - touch.day, thresholdDays: zombie }),
    );
  }

  const passed = thresholdOf(risk, 'Close_Date_Passed');
  const closeDay = dayNumber(o.closeDate);
  if (passed !== null && closeDay !== null && asOf - closeDay > passed) {
    meet(
      'Close_Date_Passed',
      () => closeDatePassedEvidence(o.closeDate!, asOf - closeDay),
      () => ({
        closeDate: o.closeDate!,
        daysPast: asOf - closeDay,
      }),
    );
  }

  const slipped = thresholdOf(risk, 'Close_Date_Slipped');
  if (slipped !== null && deal.closePushes.length >= Math.max(1, slipped)) {
    const first = deal.closePushes[0]!;
    const last = deal.closePushes[deal.closePushes.length - 1]!;
    meet(
      'Close_Date_Slipped',
      () => closeDateSlippedEvidence(deal.closePushes.length, slipped, first.from, last.to, last.on),
      () => ({ pushes: deal.closePushes.length, firstCloseDate: first.from, currentCloseDate: last.to }),
    );
  }

  const stuck = thresholdOf(risk, 'Stuck_In_Stage');
  const daysInStage = deal.daysInStage;
  if (stuck !== null && daysInStage !== null) {
    const average = index.stageAverages.get(stageKey(o.stage));
    const expected = deal.stage && deal.stage.expectedDays > 0 ? deal.stage.expectedDays : null;
    // Expected days from the stage definition first; a stage the metadata does not define is judged
    // against how long this org's deals stayed in it, once enough deals did.
    const baseline = expected ?? (average && average.stays >= 5 ? average.meanDays : null);
    if (baseline !== null && daysInStage > stuck * baseline) {
      meet(
        'Stuck_In_Stage',
        () => stuckInStageEvidence(o.stage, daysInStage, deal.stageEntered!.date, stuck, expected, average),
        () => ({
          stage: o.stage,
          daysInStage,
          stageEntered: deal.stageEntered!.date,
          baselineDays: Math.round(baseline),
          multiple: stuck,
        }),
      );
    }
  }

  const skipped = thresholdOf(risk, 'Skipped_Stage');
  if (skipped !== null) {
    const skips = deal.skips.filter((s) => s.skipped.length >= Math.max(1, skipped));
    if (skips.length > 0) {
      const names = skips.flatMap((s) => s.skipped);
      const last = skips[skips.length - 1]!;
      meet(
        'Skipped_Stage',
        () => skippedStageEvidence(names, last.from, last.to, last.on, skips.length),
        () => ({ skippedStages: names, jumps: skips.length, lastJump: last.on }),
      );
    }
  }

  if (thresholdOf(risk, 'No_Next_Step') !== null && fieldBlank(o, 'nextStep', index.knownFields) === true) {
    meet(
      'No_Next_Step',
      () => NO_NEXT_STEP_EVIDENCE,
      () => ({ nextStep: '' }),
    );
  }

  const thread = thresholdOf(risk, 'Single_Threaded');
  const roles = o.contactRoleCount;
  if (thread !== null && roles !== null && roles <= thread) {
    meet(
      'Single_Threaded',
      () => singleThreadedEvidence(roles, thread),
      () => ({ contactRoles: roles }),
    );
  }

  const required = rules.requiredFields.get(stageKey(o.stage));
  const completeness = required ? completenessOf(o, required, index.knownFields) : null;
  const missingThreshold = thresholdOf(risk, 'Missing_Fields');
  if (
    missingThreshold !== null &&
    completeness &&
    completeness.missing.length >= Math.max(1, missingThreshold)
  ) {
    meet(
      'Missing_Fields',
      () => missingFieldsEvidence(o.stage, completeness.missing.map(fieldLabel), completeness.checked.length),
      () => ({
        missing: completeness.missing.map(fieldLabel),
        completeness: Number(completeness.score!.toFixed(2)),
      }),
    );
  }

  conversationFindings(deal, asOf, risk, rules.thresholds.recentConversationDays, meet);
  return {
    findings,
    completeness,
    unjudged: detail === true ? unjudged(deal, index, completeness, rules) : [],
  };
}

/** `recentDays`: how far back a conversation's competitor or price objection still counts (the settings). */
function conversationFindings(
  deal: DealFacts,
  asOf: number,
  risk: RiskRules,
  recentDays: number,
  meet: Meet,
) {
  if (deal.conversations.length === 0) return;
  const recent = deal.conversations.filter((c) => asOf - (dayNumber(c.date) ?? -Infinity) <= recentDays);

  const competitor = risk.bySignal.get('Competitor_Present');
  const withCompetitor = recent.filter((c) => c.competitors.length > 0);
  if (competitor && withCompetitor.length >= Math.max(1, competitor.threshold)) {
    const names = [...new Set(withCompetitor.flatMap((c) => c.competitors))].sort();
    const last = withCompetitor[withCompetitor.length - 1]!;
    meet(
      'Competitor_Present',
      () => competitorEvidence(names, withCompetitor.length, recentDays, last.date),
      () => ({ competitors: names, conversations: withCompetitor.length, lastMentioned: last.date }),
    );
  }

  const pricing = risk.bySignal.get('Pricing_Objection');
  const objections = recent.filter((c) => c.pricingObjection);
  if (pricing && objections.length >= Math.max(1, pricing.threshold)) {
    const last = objections[objections.length - 1]!;
    meet(
      'Pricing_Objection',
      () => pricingObjectionEvidence(objections.length, recentDays, last.date),
      () => ({ conversations: objections.length, lastObjection: last.date }),
    );
  }

  const silent = risk.bySignal.get('Champion_Silent');
  const named = [...deal.conversations].reverse().find((c) => c.champion);
  if (silent && named) {
    const champion = named.champion!;
    const key = champion.toLowerCase();
    const firstNamed = deal.conversations.find((c) => c.champion?.toLowerCase() === key)!;
    const heard = [...deal.conversations]
      .reverse()
      .find((c) => c.customerSpeakers.some((s) => s.toLowerCase() === key));
    const since = heard ?? firstNamed;
    const days = asOf - (dayNumber(since.date) ?? asOf);
    if (days > silent.threshold) {
      meet(
        'Champion_Silent',
        () => championSilentEvidence(champion, heard?.date ?? null, firstNamed.date, days, silent.threshold),
        () => ({ champion, lastHeard: since.date, daysSilent: days }),
      );
    }
  }
}

/** Which enabled rules lacked their inputs for this deal, so the audit can say what it could not see. */
function unjudged(
  deal: DealFacts,
  index: PipelineIndex,
  completeness: Completeness | null,
  rules: PipelineRules,
): RiskSignal[] {
  const o = deal.opportunity;
  const unknown: Record<RiskSignal, boolean> = {
    Stale: deal.lastTouch === null,
    Zombie: deal.lastTouch === null,
    Close_Date_Passed: dayNumber(o.closeDate) === null,
    Close_Date_Slipped: deal.history.length === 0,
    Stuck_In_Stage:
      deal.daysInStage === null ||
      (!(deal.stage && deal.stage.expectedDays > 0) &&
        (index.stageAverages.get(stageKey(o.stage))?.stays ?? 0) < 5),
    Skipped_Stage: deal.history.length === 0,
    No_Next_Step: fieldBlank(o, 'nextStep', index.knownFields) === null,
    Single_Threaded: o.contactRoleCount === null,
    Missing_Fields: completeness === null || completeness.checked.length === 0,
    Competitor_Present: deal.conversations.length === 0,
    Pricing_Objection: deal.conversations.length === 0,
    Champion_Silent: !deal.conversations.some((c) => c.champion),
  };
  return [...rules.risk.bySignal.keys()].filter((signal) => unknown[signal]);
}
