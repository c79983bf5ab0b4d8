import type { Sentence } from '../../text/sentences.js';
import { escapeRegExp } from '../finalize.js';

/**
 * Why a vendor named beside a competitor's cue is not competing for the deal: the look is negated or
 * undone, the customer keeps it or feeds it (a system of record, identity, cloud), a person worked
 * there, or our own rep only asked about it. Every test reads a bounded stretch around the name,
 * so a long sentence naming many vendors costs its length, not its length per vendor.
 */

const NEGATED =
  /\b(?:not|never|no longer|aren't|isn't|weren't|won't|don't|didn't|haven't|stopped)\s+(?:\w+\s+){0,2}$/i;
/**
 * How far before a vendor a negation is looked for: NEGATED reads at most two words back, and
 * reading the whole sentence before each vendor would cost its length per vendor.
 */
const NEGATION_REACH = 80;
export const negatedBefore = (preceding: string) => NEGATED.test(preceding.slice(-NEGATION_REACH));

/** What follows a vendor and undoes it: past or abandoned looks. */
const UNDONE_AFTER_PAST =
  /^[^.;]{0,60}\b(?:last (?:year|quarter|spring|summer|fall|autumn|winter)|previously)\b[^.;]{0,60}\b(?:not|never|didn't|passed)\b/i;
const UNDONE_LOOK = String.raw`didn't (?:buy|go)|passed on|decided against|never looked|not interested|no interest|not (?:looking|considering|evaluating)|(?:(?:was|were|got|been) )?ruled out|ruled (?:it|them) out|off the table|not an option|(?:was|were) never (?:on|in|part of|considered)|never (?:came up|made (?:the|our) (?:short ?)?list)`;
const UNDONE_AFTER = new RegExp(String.raw`^[^.;]{0,60}\b(?:in 20\d\d|years? ago|${UNDONE_LOOK})`, 'i');
const UNDONE_LOOK_AFTER = new RegExp(String.raw`^[^.;]{0,60}\b(?:${UNDONE_LOOK})`, 'i');
/**
 * A look long ago ("we looked at X in 2021") is over; for the vendor the customer moved to or has
 * been on, the year or "two years ago" is when it started (`startedThen`), and only a look turned
 * down undoes it.
 */
export const undoneAfter = (following: string, { startedThen = false } = {}) =>
  (startedThen ? UNDONE_LOOK_AFTER : UNDONE_AFTER).test(following) || UNDONE_AFTER_PAST.test(following);

/**
 * A tool the customer keeps beside whatever it buys. Read in the clause that names the vendor, so
 * "we're replacing Kronos but ADP stays" keeps Kronos in the running.
 */
const NOT_COMPETING =
  /\b(?:integrat\w*|alongside|keep(?:ing)? (?:using )?|we(?:'re| are) keeping|connect(?:s|ed)? (?:to|with)|sync(?:s|ed)? with|works? at|worked at|used to work|plug(?:s|ged)? into|on top of|(?:is|are) staying|stays|staying put|(?:isn't|is not|aren't|are not|not|won't be) (?:changing|moving|going anywhere|being replaced|touching (?:that|it|them))|not replacing|won't replace|no plans to replace|(?:post|push|writ|feed|sync|integrat|connect|plug)\w* (?:\w+ )?(?:into|to|with) (?:it|them))\b/i;
/**
 * Where a clause ends: a full stop, a contrast ("but", "while", "whatever we pick"), or a comma
 * before another name (", and Shopify stays"); not a comma that goes on about the vendor
 * (", which we're keeping", ", and we'll keep it").
 */
const CLAUSE_BREAK =
  /[.!?](?=\s|$)|;|\b(?:[Bb]ut|[Tt]hough|[Aa]lthough|[Ww]hile|[Ww]hereas|[Ee]xcept|[Hh]owever|[Bb]ecause|[Ww]hatever|[Ww]hichever)\b|,\s*(?:and\s+|so\s+)?(?=\p{Lu})/gu;
/** How far either side of a vendor its clause is read. */
const CLAUSE_REACH = 160;

/** The clause around text[start, end), at most CLAUSE_REACH characters either side. */
export function clauseAround(text: string, start: number, end: number): string {
  const from = Math.max(0, start - CLAUSE_REACH);
  const head = text.slice(from, start);
  let cut = 0;
  CLAUSE_BREAK.lastIndex = 0;
  for (let m = CLAUSE_BREAK.exec(head); m; m = CLAUSE_BREAK.exec(head)) {
    cut = m.index + m[0].length;
  }
  const tail = text.slice(end, end + CLAUSE_REACH);
  CLAUSE_BREAK.lastIndex = 0;
  const stop = CLAUSE_BREAK.exec(tail);
  return head.slice(cut) + text.slice(start, end) + (stop ? tail.slice(0, stop.index) : tail);
}

export const keptAlongside = (clause: string) => NOT_COMPETING.test(clause);

/**
 * The vendor is where the customer's data goes or what the purchase plugs into: "push fuel data
 * into Oracle NetSuite", "write back into athenahealth", "sits on top of Shopify Plus". Verbs in
 * lower case only: "Verizon Connect and one from" is a vendor's name, not a connection.
 */
const FED_BEFORE =
  /\b(?:(?:integrat\w*|sync\w*|connect(?:s|ed|ing)?|plug\w*|push\w*|post\w*|writ(?:e|es|ing)(?: back)?|wrote(?: back)?|feed\w*|fed|flow\w*|sits?|sitting|layer\w*|built)\b[^.;:]{0,40}?\b(?:into|to|with|on top of|on|in)|pull\w*\b[^.;:]{0,40}?\bfrom|\b(?:it|this|that|which|they)\s+(?:\w+\s+){0,2}?(?:talks?|speaks?)\s+to)\s+(?:(?:the|our|their|both)\s+)?$/;
/** An object-taking verb reads at most this far back from the vendor. */
const FED_REACH = 70;
export const fedByThePurchase = (preceding: string) => FED_BEFORE.test(preceding.slice(-FED_REACH));

/** "I spent six years at Wells Fargo", "Dana joined us from Workday": someone's employer, not a rival. */
const WORKED_THERE =
  /\b(?:(?:work(?:s|ed|ing)?|was|were|been|spent\b[^.;]{0,30}|years?|months|time|stint|career|job|role|ran\b[^.;]{0,20}|hired|poached|recruited|formerly|used to (?:work|be))\s+(?:at|for)|(?:came|comes|coming) (?:to us|over|here) from|join(?:ed|ing|s)(?: us)? from|ex-)\s*(?:the\s+)?$/i;
const WORKED_REACH = 60;
export const workedThere = (preceding: string) => WORKED_THERE.test(preceding.slice(-WORKED_REACH));

/**
 * A question ("Have you looked at Finastra?", "Is Klara in the picture too?") asks whether a vendor
 * is in the running; it tells only with its answer. "Is the Salesloft pilot still running?" - "It
 * is" keeps the vendor; "No, we never looked at them" does not.
 */
const ASKED =
  /^\W*(?:(?:and|so|but|also|ok(?:ay)?|just curious|out of curiosity),?\s+)?(?:have|has|had|did|do|does|are|is|was|were|would|could|will|can|should|what about|how about)\b[^?]*\?\W*$/i;
/** A question longer than this is read as a statement with a question tacked on. */
const QUESTION_REACH = 240;
const DENIED =
  /^\W*(?:no|nope|nah|not (?:really|at all|yet|that I know of)|never|(?:we|I|they) (?:never|didn't|did not|haven't|have not|aren't|are not|weren't|don't|do not)|(?:I|we) don't think so)\b/i;
/** How many sentences on the answer to a question is looked for. */
const ANSWER_REACH = 3;

/** The sentence at `index` asks about a vendor and the other side's answer says no. */
export function askedAndDenied(sentences: readonly Sentence[], index: number): boolean {
  const asked = sentences[index]!;
  if (asked.text.length > QUESTION_REACH || !ASKED.test(asked.text)) return false;
  for (let i = index + 1; i < sentences.length && i <= index + ANSWER_REACH; i++) {
    const answer = sentences[i]!;
    // The asker going on ("A few credit unions came from there") is not the answer.
    if (asked.speaker !== null && answer.speaker === asked.speaker) continue;
    return DENIED.test(answer.text);
  }
  return false;
}

/**
 * The kinds of product a customer uses alongside whatever they buy: a vendor named for one of
 * these jobs ("on X for hosting", "sign in with Y", "Z handles our SSO") is infrastructure.
 */
const INFRA_JOB = String.raw`(?:hosting|host(?:ed)?|cloud|infrastructure|servers?|data ?cent(?:er|re)s?|sso|single sign-on|identity|log-?ins?|sign-?ins?|authentication|auth|mfa|2fa|e-?mail|calendars?|video calls?|conferencing|data ?warehouse|data lake|files|file (?:sharing|storage)|storage|documents|backups?|phones?|telephony|messaging|chat|intranet|wiki|source control|code|website|escalations|alerts|notifications|meetings|calls)`;
/**
 * Business systems: kept beside us as a rule ("billing is on Zuora"), but the very thing a deal may
 * replace when the customer speaks of its renewal or its pain ("invoicing on FieldEdge since 2018,
 * renewal is in June").
 */
const BUSINESS_JOB = String.raw`(?:payroll|crm|erp|(?:general )?ledger|gl|books|billing|invoicing|accounting|finance|hr|hris|ticketing|help ?desk|service desk|itsm|warehouse|e-?commerce|marketing automation|ehr|emr|point of sale|pos|inventory|payments|policy admin\w*|claims|property management|(?:online )?store|storefront|analytics|bi|business intelligence|reporting|reports|dashboards?|project management|projects|scheduling|timesheets|time tracking|expenses|procurement|purchasing|benefits|recruiting|applicant tracking|ats|lms|learning|marketing|email marketing|sms|surveys|support|customer support|signatures?|e-?signatures?|contracts|monitoring|logging|logs|security)`;
const forJob = (v: string, job: string) => [
  new RegExp(
    String.raw`${v}(?:'s)?\s+(?:\w+\s+){0,2}?(?:for|as|handles|runs|powers|does)\s+(?:our\s+|all\s+|the\s+)?${job}\b`,
    'iu',
  ),
  new RegExp(
    String.raw`\b${job}\s+(?:is\s+|runs\s+|goes\s+|lives\s+)?(?:on|through|via|with|in|from|by)\s+(?:the\s+)?${v}`,
    'iu',
  ),
];
/** Where things run or live: "hosted on", "sign in through", "our data lives in". */
const whereItRuns = (v: string) =>
  new RegExp(
    String.raw`\b(?:hosted|deployed|running|runs|run|built|sign(?:s|ed)? in|log(?:s|ged)? in|lives?|living|stored|kept|sits?|sitting)\s+(?:on|in|with|through|via)\s+(?:the\s+)?${v}`,
    'iu',
  );

/** 'infrastructure' is never competing; a 'business system' only when its replacement is in question. */
export type UsedFor = 'infrastructure' | 'business system' | null;

export function usedAlongside(vendor: string, text: string): UsedFor {
  const v = String.raw`(?<![\p{L}0-9])${escapeRegExp(vendor)}(?![\p{L}0-9])`;
  if (whereItRuns(v).test(text) || forJob(v, INFRA_JOB).some((re) => re.test(text))) return 'infrastructure';
  return forJob(v, BUSINESS_JOB).some((re) => re.test(text)) ? 'business system' : null;
}

/** The clause speaks of leaving the vendor or of its contract running out: it is in question. */
const IN_QUESTION =
  /\b(?:renew\w*|expir\w+|contract (?:ends|is up|runs out)|replac\w+|switch\w*|mov(?:e|ing) off|outgr\w+|pain|frustrat\w+|unhappy|fed up|churn\w*|leav(?:e|ing)|rip\w* out|sunset\w*|killing us|not working)\b/i;
/** "We use Gusto for payroll but we're frustrated with it": the pain said of it after a contrast. */
const PAIN_AFTER =
  /^[^.;]{0,100}?\b(?:frustrated with|unhappy with|fed up with|sick of|tired of|hate|replac\w+|leav(?:e|ing)|mov(?:e|ing) off|outgr\w+|get(?:ting)? rid of) (?:it|them)\b/i;
export const replacementInQuestion = (clause: string, following: string) =>
  IN_QUESTION.test(clause) || PAIN_AFTER.test(following);

/**
 * Our rep playing back what the customer said or is doing ("last time you said X's renewal went
 * up", "I know you're also looking at X") is the customer's evidence, not our own comparison.
 */
const REPORTS_CUSTOMER =
  /\byou(?:'ve| have)? (?:said|mentioned|told (?:me|us)|were saying|noted|shared|flagged|brought up)\b|\byou(?:'re| are) (?:also |still )?(?:looking at|evaluating|talking to|considering|speaking (?:to|with))\b/i;
export const reportsCustomer = (text: string) => REPORTS_CUSTOMER.test(text);

/** "Craig's paper", "Dana's point": a person's thing, not a vendor's. */
const PERSONS_THING =
  /^['’]s\s+(?:paper|idea|point|email|note|notes|slides?|question|view|boss|manager|book|desk|drawing|sketch|design|laptop)\b/i;
export const personsThing = (following: string) => PERSONS_THING.test(following);
