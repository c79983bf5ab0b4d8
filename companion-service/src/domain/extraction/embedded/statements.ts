import type { Insights, Meddpicc, Statement, Timeline } from '../../insights/schema.js';
import type { Sentence } from '../../text/sentences.js';
import { evidenceForSentence } from '../../stages/signal-matcher.js';
import { findDates } from './dates.js';

/**
 * Sentence-level signals: decisions, objections, the MEDDPICC items that are statements (metrics,
 * criteria, process, paperwork, pain), the use case, the seat count and the timeline. Each is the
 * customer's or the seller's own sentence, quoted whole.
 */
type Pred = (s: Sentence) => boolean;

const NEGATED_START = /^(?:no|not|never)\b/i;

const DECISION =
  /\b(?:we(?:'ve| have)? (?:decided|agreed|chose|are going ahead|will go ahead|are moving forward)|(?:decision|decided|agreed)\s*(?::|that|to|on)|let's go with|we'll go with|we're going with|going ahead with|green[- ]?lit|approved (?:the|a|our)|the plan is to|we will proceed|moving forward with)\b/i;
const OBJECTION =
  /\b(?:too expensive|expensive|pricey|over (?:our )?budget|out of (?:our )?budget|can't justify|hard to justify|(?:price|pricing|cost)s? (?:is|are|seems?) (?:too )?(?:high|steep|a lot)|sounds hefty|hefty|concern(?:s|ed)? (?:about|with|is|that|around)|worried|hesitant|not (?:sure|convinced) (?:about|that|it|if)|the (?:problem|issue|challenge|worry) (?:is|with)|doesn't (?:integrate|support|work|scale|do)|don't (?:integrate|support|see the value)|lacks?|deal[- ]?breaker|pushback|push back|skeptic(?:al)?|risk (?:is|that)|that doesn't sound right|security (?:concerns?|issues?)|no integration|red flag|not a fit|overkill|too complex|too complicated|learning curve)\b/i;
const METRICS =
  /\b(?:(?:reduce|cut|save|increase|improve|double|halve|lower|raise|shorten|speed up|boost|grow|get)\s+[^.;]{0,40}?\b(?:by|to|under|below|above)\s+(?:\$?\d[\d,.]*\s?(?:%|percent|hours?|days?|minutes?|k|x)?|half|a third|\w+ percent)|(?:goal|target|kpi|objective|success (?:looks like|means|metric))\b[^.;]{0,60}\d)/i;
const CRITERIA =
  /\b(?:must[- ]have|must (?:integrate|support|have|be|work)|needs? to (?:integrate|support|have|be able|work with|comply)|has to (?:integrate|support|work|be)|(?:our|key|main|hard|technical) requirements?|requirements? (?:is|are|include)|criteria|non-negotiable|deal[- ]?breaker|key (?:factor|requirement)|what matters (?:most )?(?:to us|for us)|looking for (?:a|something|an?) (?:tool|solution|platform|vendor) that|SSO|SAML|SOC ?2|HIPAA|GDPR|ISO 27001|data residency|integrat(?:e|es|ion) with (?:our |the )?\p{Lu}\w+)/iu;
const PROCESS =
  /\b(?:decision (?:will be made|process|by committee|comes down to)|(?:steering|management|buying|investment|executive) committee|board (?:approval|meeting|review|sign-?off)|sign-?off from|(?:needs?|requires?) (?:to go|approval|sign-?off) (?:to|from|by)|approval (?:process|from|chain)|(?:present|bring|take) (?:it|this|the proposal) to|run (?:it|this) by|get buy-?in|buy-?in from|evaluation process|votes? on|drafting up a proposal for|final (?:call|decision) (?:is|rests) with)\b/i;
const PAPER =
  /\b(?:procurement|legal review|legal (?:team|will|needs|has)|MSA|master (?:services|subscription) agreement|redlines?|security (?:review|questionnaire|assessment)|vendor (?:onboarding|registration|form|setup)|purchase order|\bPO\b|DPA|data processing agreement|order form|contract review|InfoSec|W-?9|net ?\d{2}|payment terms|SOW|statement of work|NDA)\b/;
const PAIN =
  /\b(?:struggl\w*|frustrat\w*|pain(?:ful)?|problem|challenge|manual(?:ly)?|spreadsheets?|takes? (?:forever|too long|hours|days)|wast(?:e|ing|ed)|losing|churn|miss(?:ed|ing) (?:deals|forecast|quota|targets?)|errors?|too slow|bottleneck|headache|takes a toll|morale (?:has been|is) low|can't (?:see|track|keep up|trust)|no visibility|lack of visibility|stale|falling behind|out of date|inaccurate|nightmare|broken)\b/i;
const TIMELINE_CUE =
  /\b(?:go[- ]live|live by|launch|roll ?out|implement\w*|in place|up and running|deploy\w*|decision|decide|decided by|sign(?:ed)?|signature|close|contract|purchase|buy|PO|start|kick[- ]?off|deadline|need (?:it|this|them) by|must be|renewal|renews|expires?|expiring|budget (?:cycle|approval)|fiscal|target|timeline|timeframe|by (?:the )?end of|no later than|before|approv\w*|sign-?off|(?:board|committee) meets|choose|pick a vendor|select a vendor)\b/i;
const DECISION_TIMING =
  /\b(?:decision|decide|sign(?:ed)?|signature|close|purchase|buy|PO|budget approval|approve|commit|award|select|choose|pick (?:a vendor|something|one)|board meets|committee meets)\b/i;
const SCHEDULING =
  /\b(?:meet(?:ing)?|call|demo|chat|sync|catch up|follow[- ]up|reconvene|talk|get together|session|lunch|coffee|invite|calendar)\b/i;
// (?<!\d,): a count starts at its first digit group, so a long "1,000,000,..." is read once, not once per group.
const SEATS =
  /\b(?<!\d,)(\d{1,3}(?:,\d{3})*|\d+)\s*(?:\+\s*)?(?:named\s+|concurrent\s+|initial\s+)?(seats|licen[cs]es|users|reps|agents|sellers|AEs|SDRs|account executives|recruiters|engineers|analysts|technicians|nurses|drivers|instructors|advisors|people (?:will|would) use)\b/i;
const HEADCOUNT =
  /\b(?:employees|headcount|staff of|company of|we have about \d+ people|people in total|total|worldwide|globally|clocked in)\b/i;
const USE_CASE =
  /\b(?:use case(?: is|:)|we(?:'re| are) looking (?:for a way |)to|we want to (?:use (?:it|this|you) (?:for|to))?|(?:they|she|he) wants? to use (?:it|this|you) (?:for|to)|we need (?:a way|something|a tool|a platform|a solution|this|it) to|(?:the )?(?:main|primary) goal is to|the goal is to|the idea is to|we(?:'d| would) use (?:it|this) (?:for|to)|looking for (?:a|an) (?:tool|solution|platform|way) (?:to|for|that)|help us)\s+([^.;!?]{8,140})/i;

function statementsWhere(sentences: Sentence[], pred: Pred, max: number, minLength = 12): Statement[] {
  const out: Statement[] = [];
  for (const s of sentences) {
    if (s.text.length < minLength || !pred(s)) continue;
    out.push({ text: s.text, evidence: evidenceForSentence(s) });
    if (out.length >= max) break;
  }
  return out;
}

export interface StatementInput {
  sentences: Sentence[];
  isCustomer: (s: Sentence) => boolean;
  meetingDate: string;
}

export function extractStatements(input: StatementInput) {
  const { sentences, isCustomer } = input;
  const said = (s: Sentence) => !s.isQuestion && !NEGATED_START.test(s.text);
  const decisions = statementsWhere(sentences, (s) => said(s) && DECISION.test(s.text), 8);
  const objections = statementsWhere(
    sentences,
    (s) => !s.isQuestion && isCustomer(s) && OBJECTION.test(s.text),
    8,
  );
  const meddpicc: Omit<Meddpicc, 'economicBuyer' | 'champion' | 'competition'> = {
    metrics: statementsWhere(
      sentences,
      (s) => said(s) && METRICS.test(s.text) && !/\b(?:discount|off the list)\b/i.test(s.text),
      5,
    ),
    decisionCriteria: statementsWhere(sentences, (s) => said(s) && CRITERIA.test(s.text), 6),
    decisionProcess: statementsWhere(sentences, (s) => said(s) && PROCESS.test(s.text), 5),
    paperProcess: statementsWhere(sentences, (s) => said(s) && PAPER.test(s.text), 5),
    identifiedPain: statementsWhere(sentences, (s) => said(s) && isCustomer(s) && PAIN.test(s.text), 6),
  };
  return {
    decisions,
    objections,
    meddpicc,
    useCase: extractUseCase(sentences, isCustomer),
    seatCount: extractSeats(sentences),
    ...extractTimeline(sentences, input.meetingDate),
  };
}

function extractUseCase(sentences: Sentence[], isCustomer: Pred): Insights['useCase'] {
  for (const s of sentences) {
    if (s.isQuestion || !isCustomer(s)) continue;
    const m = USE_CASE.exec(s.text);
    if (m) return { text: m[1]!.trim().replace(/[,\s]+$/, ''), evidence: evidenceForSentence(s) };
  }
  return null;
}

function extractSeats(sentences: Sentence[]): Insights['seatCount'] {
  for (const s of sentences) {
    const m = SEATS.exec(s.text);
    if (!m) continue;
    // Headcount is judged near the number only: "85 agents today, and 2,000 employees overall" has seats.
    // ...and within its own clause: "2,000 employees, but only 85 agents would use it" has 85 seats.
    const clauseStart = Math.max(0, s.text.lastIndexOf(',', m.index), s.text.lastIndexOf(' but ', m.index));
    const around = s.text
      .slice(Math.max(clauseStart, m.index - 25), m.index + m[0].length + 25)
      .split(/,| but /)[0]!;
    if (!m || HEADCOUNT.test(around)) continue;
    const count = Number(m[1]!.replace(/,/g, ''));
    if (count > 0 && count < 1_000_000) return { count, evidence: evidenceForSentence(s) };
  }
  return null;
}

/** Two years out is a renewal note ("revisit at renewal 3/2029"), not this deal's timeline. */
function withinHorizon(date: string, meetingDate: string): boolean {
  const [y, m, d] = meetingDate.split('-').map(Number) as [number, number, number];
  return date > meetingDate && date <= `${y + 2}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

const GO_LIVE =
  /\b(?:go[- ]live|live by|launch|roll ?out|in place|up and running|deadline|need (?:it|this|them) by|must be|first (?:payroll|run|release|shipment|close))\b/i;
/** Said in the past: "the steering committee met Wednesday" is no target date. */
const PAST_NEAR =
  /\b(?:met|was|were|had|held|happened|did|last|ago|previously)\s+(?:\w+\s+){0,2}$|\bback (?:in|on)\s+$/i;
const WEAK_TIMING =
  /\b(?:renewal|renews|expires?|expiring|lapse|contract (?:ends|runs)|freeze|until|revisit|check back|pilot|poc|trial|proof of concept)\b/i;
const DECISION_BODY =
  /\b(?:steering|buying|investment|executive) committee|board (?:meeting|approval|review)\b/i;

/**
 * The customer's target date: a decision or signature ("decide by the end of April") beats a
 * go-live, which beats an incumbent's renewal; the cue must sit just before the date it is about.
 */
function extractTimeline(
  sentences: Sentence[],
  meetingDate: string,
): { timeline: Timeline | null; timelineIsDecision: boolean } {
  let best: { t: Timeline; score: number; decision: boolean; precision: string } | null = null;
  for (const s of sentences) {
    if (!TIMELINE_CUE.test(s.text) && !DECISION_BODY.test(s.text)) continue;
    let previousEnd = 0;
    for (const d of findDates(s.text, meetingDate)) {
      // A cue speaks for the first date after it: "sign by the end of Q2 so we go live in July".
      const windowStart = Math.max(previousEnd, d.index - 50);
      previousEnd = d.index + d.text.length;
      if (!withinHorizon(d.date, meetingDate)) continue;
      const window = s.text.slice(windowStart, d.index);
      if (PAST_NEAR.test(window)) continue;
      const decision = DECISION_TIMING.test(window) || DECISION_BODY.test(window);
      const weak = WEAK_TIMING.test(window);
      let score = (decision ? 4 : 0) + (GO_LIVE.test(window) ? 3 : 0) + (weak ? (decision ? 0 : 1) : 0);
      if (weak && !decision) score -= 1;
      if (
        SCHEDULING.test(window) &&
        !/\b(?:go[- ]live|decision|sign|contract|launch|roll ?out|deadline|committee|board)\b/i.test(window)
      )
        score -= 3;
      // A date for sending or confirming something is a next step's, not the deal's.
      if (
        /\b(?:send|share|confirm|return|get (?:it|this|them|back)|over by|back by|get back to)\b/i.test(
          window,
        )
      )
        score -= 5;
      if (s.isQuestion) score -= 1;
      // At an equal score a day ("Sep 17") beats the span it falls in ("Q3").
      const sharper = best && score === best.score && d.precision === 'day' && best.precision !== 'day';
      if (score < 1 || (best && score <= best.score && !sharper)) continue;
      best = {
        t: { date: d.date, text: d.text, evidence: evidenceForSentence(s) },
        score,
        decision,
        precision: d.precision,
      };
    }
  }
  return { timeline: best?.t ?? null, timelineIsDecision: best?.decision ?? false };
}
