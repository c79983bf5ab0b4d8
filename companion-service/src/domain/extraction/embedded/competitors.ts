import type { Competitor } from '../../insights/schema.js';
import type { Sentence } from '../../text/sentences.js';
import type { CompetitorCatalog } from '../competitor-catalog.js';
import { evidenceForSentence } from '../../stages/signal-matcher.js';
import { escapeRegExp } from '../finalize.js';
import { BRANDS, NOT_NAMES, PERSONAL_RELATIONS } from './lexicon.js';
import { NAME_END, NAME_START } from '../../text/word-boundary.js';

/**
 * Competitors: every vendor in the Competitor__mdt catalog that is mentioned, plus any vendor
 * spoken of the way competitors are: evaluated, compared, switched from, chosen instead, quoting
 * against us, or listed as the competition in notes.
 */
const EVERYDAY_BRANDS = new Set(['zoom', 'teams', 'slack', 'excel', 'outlook', 'google', 'oracle']);
/**
 * Vendor names: capitalized ("Clari", "New Relic", "Bill.com"), mixed case from a small lower-case
 * start ("nCino", "eBay", never cut to its capitalized tail), or lower-case with a digit or a dot ("project44").
 */
/**
 * Well-known products people type in lower case ("we've outgrown hubspot"); those that are also
 * everyday words ("zoom", "teams", "slack") stay out, or every "teams" would be a vendor.
 */
const LOWER_BRANDS = [...BRANDS].filter((b) => !NOT_NAMES.has(b) && !EVERYDAY_BRANDS.has(b)).join('|');
const VENDOR = String.raw`(?<![\p{L}0-9])(?:(?:${LOWER_BRANDS})(?![\p{L}0-9])|\p{Ll}{1,3}\p{Lu}[\p{L}0-9]*|\p{Lu}[\p{L}0-9]*(?:[.-][\p{L}0-9]+)*\+?|\p{Ll}+\d+\p{L}*|\p{Ll}+\.(?:com|io|ai|co))(?:\s+(?:\p{Lu}[\p{L}0-9]*|\d+)){0,2}`;
const LIST = String.raw`(?:(?:the|a|an|our|their)\s+)?(${VENDOR}(?:\s*(?:,|\band\b|\bor\b|/|&|\+)\s*(?:also\s+)?(?:the\s+)?${VENDOR}){0,4})`;

/**
 * Cue words are matched case-insensitively; vendor names keep their capital. A regex 'i' flag would
 * make \p{Lu} match any letter, so the cue alone is made case-blind, letter by letter.
 */
function ci(pattern: string): string {
  let out = '';
  for (let i = 0; i < pattern.length; i++) {
    const ch = pattern[i]!;
    if (ch === '\\') {
      out += ch + (pattern[i + 1] ?? '');
      i++;
    } else if (/[a-z]/i.test(ch)) {
      out += `[${ch.toLowerCase()}${ch.toUpperCase()}]`;
    } else out += ch;
  }
  return out;
}
const before = (cue: string) => new RegExp(String.raw`${ci(cue)}[,:]?\s+${LIST}`, 'gu');
const after = (cue: string) => new RegExp(String.raw`(${VENDOR})(?:'s)?,?\s+${ci(cue)}`, 'gu');
/**
 * "Verkada and Rhombus are both in the running": the vendor joined to the one before a cue. Read
 * only where a cue matched, on a short stretch, so a list costs nothing where no cue is.
 */
const JOINED_BEFORE = new RegExp(String.raw`(${VENDOR})\s*(?:,|\band\b|&|/)\s*$`, 'u');
const JOIN_REACH = 60;

/** The customer bought from someone else: the deal, or this part of it, went to them. */
const LOST_TO = 'lost to';

const CONTEXTS: { label: string; re: RegExp }[] = [
  {
    label: 'evaluating',
    re: before(
      String.raw`\b(?:the shortlist is|shortlist(?:ed)?:?|leaning (?:toward|towards)|favou?ring|up against)`,
    ),
  },
  {
    // "on Square today for tills", "using Five9 right now"
    label: 'incumbent',
    re: new RegExp(
      String.raw`(?:^|[\s(])${ci(String.raw`(?:on|using|with|out of)`)}\s+${LIST}\s+${ci(String.raw`(?:today|currently|right now|at the moment)`)}`,
      'gu',
    ),
  },
  {
    label: 'incumbent',
    re: before(
      String.raw`\b(?:stay(?:ing)? on|(?:we're|we are|they're|they are) (?:with|on)|get(?:ting)? off(?: of)?|(?:are|is|we're|they're) with|still on|currently with)`,
    ),
  },
  {
    label: 'compared',
    re: before(String.raw`\bcompar(?:e|es|ed|ing) (?:us|you|them|it) (?:with|to|against)`),
  },
  {
    label: 'evaluating',
    re: before(
      String.raw`\b(?:(?:had|saw|got|did|have|seen) (?:a |the |their )?(?:demo|pitch|presentation|trial|poc|proposal|quote) (?:from|with|by)|demo (?:from|with|by))`,
    ),
  },
  {
    label: 'incumbent being replaced',
    re: before(
      String.raw`\b(?:outgr(?:own|owing|ew)|(?:mov(?:e|ing)|get(?:ting)?|migrat(?:e|ing)) (?:everyone |everything |us |all |the team )?(?:off|off of|away from))`,
    ),
  },
  {
    label: LOST_TO,
    re: before(
      String.raw`\b(?:chose|chosen|went (?:with|w/|for)|going with|go with|decided to (?:go with|move to|switch to)|selected|picked|signed (?:with|w/)|decided on|landed on|settled on|moving forward with|moved forward with|awarded (?:it|the contract) to|lost (?:[\w-]+\s+){0,3}?to)`,
    ),
  },
  {
    label: 'incumbent being replaced',
    re: before(
      String.raw`\b(?:switch(?:ing)?|mov(?:e|ing)|migrat(?:e|ing)|com(?:e|ing)|transition(?:ing)?|get(?:ting)? away)\s+(?:over\s+)?(?:off|from|away from)(?:\s+of)?`,
    ),
  },
  {
    label: 'incumbent being replaced',
    re: before(
      String.raw`\b(?:replac(?:e|ing)|rip(?:ping)? out|sunset(?:ting)?|unhappy with|frustrated with|fed up with)`,
    ),
  },
  {
    // "we moved to Acme last year": a move made is the vendor they are on now.
    label: 'incumbent',
    re: before(
      String.raw`\b(?:we|they|the team|the company) (?:(?:already|recently|just) )?(?:moved|switched|migrated|changed|went over) (?:everything |everyone |all )?(?:over )?to`,
    ),
  },
  {
    // "our contract with Acme renews in May": the vendor the customer is on, not yet being replaced.
    label: 'incumbent',
    re: before(
      String.raw`\b(?:renewal with|contract with|agreement with|subscription with|licence with|license with|locked in with|stuck with|renew(?:ed|ing)? with|(?:up for|due for) renewal with)`,
    ),
  },
  {
    label: 'incumbent',
    re: before(
      String.raw`\b(?:(?:we've|we have|we've been|have been|been) (?:on|using|with|running)|(?:we've|we have) (?:used|had)|currently (?:use|using|on|run on|running|pay)|we(?:'re| are)? (?:use|using|on|paying)|(?:we |today we |currently )?pay(?:ing)?|today we use|incumbent(?: is|,| vendor)?|our (?:current|existing) (?:vendor|tool|provider|solution|platform|system)(?: is)?|what we see on|compared to what we get (?:from|on))`,
    ),
  },
  {
    // "we pay Acme €700k a year and Globex another €250k": every vendor on a bill the customer pays.
    label: 'incumbent',
    re: new RegExp(
      String.raw`${ci(String.raw`\bpay(?:ing)?\b`)}[^.;]{0,80}?${ci(String.raw`\band`)}\s+(${VENDOR})\s+${ci(String.raw`(?:another|a further|roughly|about|around|over|almost)`)}?\s*[$€£]\s?\d`,
      'gu',
    ),
  },
  {
    label: 'incumbent',
    re: new RegExp(
      String.raw`${ci(String.raw`\b(?:the|our|their)`)}\s+(${VENDOR})\s+${ci(String.raw`(?:contract|subscription|licen(?:c|s)e|renewal|replacement|instance|migration|bill|invoice|seats)\b`)}`,
      'gu',
    ),
  },
  {
    label: 'evaluating',
    re: before(
      String.raw`\b(?:evaluat(?:e|ed|ing)|looking at|look at|looked at|consider(?:ing)?|talk(?:ing)? to|speaking with|in talks with|trial(?:l)?ing|pilot(?:ing)?|demo(?:ing|'d|ed)|test(?:ing)?|shortlist(?:ed)?|short-listed|benchmark(?:ing)?|bake-?off with|RFP (?:with|to))(?:\s+also)?`,
    ),
  },
  {
    label: 'compared',
    re: before(String.raw`\b(?:compar(?:e|ed|ing)|stack(?:s|ed)? up)\s+(?:\w+\s+){0,3}?(?:to|with|against)`),
  },
  { label: 'compared', re: before(String.raw`(?:\bvs\.?|\bversus|\bup against|\bagainst|\bor)`) },
  {
    label: 'evaluating',
    re: before(
      String.raw`\b(?:(?:free )?trial of|(?:poc|proof of concept|bake-?off|shoot-?out|head[- ]to[- ]head) (?:with|of|against|between)|evaluation of)`,
    ),
  },
  {
    label: 'compared',
    re: before(
      String.raw`\b(?:(?:it's|it is|between|either)|(?:narrow(?:ed|ing)?|whittl(?:ed|ing)|cut) (?:it |this |the list )?(?:down )?to) (?:you|us) (?:or|and)`,
    ),
  },
  {
    // "we've narrowed it down to Acme and Globex": the shortlist without us in it.
    label: 'evaluating',
    re: before(String.raw`\b(?:narrow(?:ed|ing)?|whittl(?:ed|ing)|cut) (?:it |this |the list )?down to`),
  },
  {
    label: 'quoting against us',
    re: before(String.raw`\b(?:quote|quotes|proposal|offer|pricing|bid|price)\s+from`),
  },
  {
    label: 'alternative',
    re: before(
      String.raw`\b(?:alternatives?|competitors?|other vendors?|other options|options|finalists?)(?:\s+in the (?:mix|running|picture))?(?:\s+(?:like|such as|including|are|is))?\s*:?`,
    ),
  },
  {
    label: 'listed as competition',
    re: new RegExp(
      String.raw`^\s*${ci(String.raw`(?:comp(?:etitors?|etition|s)?|vs|alternatives|others? in the mix)`)}\s*[:=-]\s*(?:${ci(String.raw`(?:shortlisted|evaluating|looking at|also)`)}\s+)?${LIST}`,
      'gu',
    ),
  },
];
const AFTER_VENDOR: { label: string; re: RegExp; gate?: RegExp }[] = [
  {
    // What only a vendor does in a deal: "Mixpanel's rep called", "BYD and Solaris both submitted bids".
    label: 'evaluating',
    re: new RegExp(
      String.raw`${LIST}(?:'s)?\s+(?:both\s+|also\s+|just\s+)?(?:${ci(String.raw`(?:rep|reps|account exec\w*|account manager|AE|salesperson|sales (?:rep|team|guy|person|people)|quote|bid|bids|proposal|pricing|offer|demo|pitch)\b|(?:submitted|sent(?: us| them| over)?|gave(?: us| them)?|put in|provided|presented|pitched|demoed|demo'd|asked for)\s+(?:a |an |the |their |us |them )?(?:quote|quotes|bid|bids|proposal|pricing|price|demo|offer|packet|rfp response)`)})`,
      'gu',
    ),
  },
  {
    label: 'incumbent',
    re: new RegExp(
      String.raw`${LIST}\s*(?:=|,)?\s*${ci(String.raw`(?:(?:is|are)\s+)?(?:our |the |their )?(?:incumbent|current (?:supplier|vendor|provider|system|tool|platform)|currently has the contract|has the contract|holds the contract)`)}`,
      'gu',
    ),
  },
  {
    label: 'evaluating',
    re: new RegExp(
      String.raw`${LIST}\s+${ci(String.raw`(?:was|is|were) (?:the )?(?:other (?:one|option|vendor)|runner-?up|alternative)`)}`,
      'gu',
    ),
  },
  {
    label: 'evaluating',
    re: after(
      String.raw`(?:=\s*|is\s+(?:the\s+|our\s+|their\s+)?|was\s+(?:the\s+)?|as\s+(?:the\s+)?)(?:front-?runner|favou?rite|leader|leading option|runner-?up|preferred (?:option|vendor)|one to beat)`,
    ),
  },
  {
    label: 'incumbent',
    re: after(
      String.raw`(?:is|was|,|which is|that is|who is)\s+(?:your|the|their|our)?\s*(?:incumbent|current (?:vendor|provider|tool|platform|system))`,
    ),
  },
  {
    label: 'evaluating',
    re: after(
      String.raw`(?:is|are|was|were)\s+(?:also\s+)?(?:still\s+)?(?:in (?:the picture|play|contention)|under consideration)`,
    ),
  },
  {
    label: 'quoting against us',
    re: after(
      String.raw`(?:had\s+)?(?:offered|came in (?:lower|cheaper|under)|is (?:lower|cheaper)|undercut)`,
    ),
  },
  {
    label: 'quoting against us',
    re: after(
      String.raw`(?:quoted|offered|came in|charges?|charged|is cheaper|was cheaper|are cheaper|is less expensive|undercut|gave us (?:a|their) (?:quote|price|discount)|pitched|is pushing|sent (?:their|a|us (?:a|their)|over (?:a|their)) (?:quote|proposal|pricing)|(?:quote|pricing|price|offer|proposal|bid) (?:is|was|came))`,
    ),
  },
  {
    label: 'evaluating',
    re: after(
      String.raw`(?:is|are)\s+(?:also\s+|both\s+)?(?:still\s+)?(?:in the running|on (?:the|our) shortlist|in the mix|a contender|(?:the other |a )?finalist|doing (?:a |their )?(?:demo|poc|pilot|trial|proof of concept|bake-?off)|demoing|running a (?:pilot|poc|trial))`,
    ),
  },
  { label: LOST_TO, re: after(String.raw`(?:won|won the deal|got the deal|beat you)`) },
  {
    // "Acme has been our vendor since 2019", "Acme, which we've used for years".
    label: 'incumbent',
    re: after(
      String.raw`(?:has been|have been|was) (?:our|their) (?:vendor|provider|supplier|partner|platform|system|tool)|(?:which|that|who) (?:we've|we have|they've|they have) (?:used|had|been on|been using)`,
    ),
  },
  {
    // "Acme renews in May", "Acme's contract is up in the fall": the vendor the customer pays now.
    label: 'incumbent',
    re: after(
      String.raw`(?:(?:contract|subscription|licen(?:c|s)e|agreement|renewal)\s+)?(?:renews|is up for renewal|comes up for renewal|is up in|expires|runs out|ends in|ends on|is up at the end)`,
    ),
  },
  {
    // "Acme was too expensive", "Acme felt too clunky": a vendor the customer has weighed.
    label: 'evaluating',
    re: after(
      String.raw`(?:is|was|were|are|seemed|felt|looked) (?:way |much |far |a bit |a little |just )?too (?:expensive|pricey|costly|complex|complicated|clunky|heavy|basic|limited)`,
    ),
  },
  {
    // "Acme is what we're on today", "Acme is what the team uses": the incumbent named first.
    label: 'incumbent',
    re: after(
      String.raw`(?:is|was) (?:what|who) (?:we(?:'re| are)|we've been|the team (?:is|has been)|they(?:'re| are)) (?:on|using|with|running)`,
    ),
  },
  {
    label: 'incumbent',
    re: after(String.raw`(?:is|was) (?:what|who) (?:we|the team|they) (?:use|run on|pay)`),
  },
  {
    // "Acme was on our list too", "Acme made the shortlist".
    label: 'evaluating',
    re: after(
      String.raw`(?:is|was|were|are) (?:also |still )?on (?:our|the|their) (?:short ?)?list|made (?:the|our|their) (?:short ?)?list`,
    ),
  },
  {
    // "hubspot's free tier, which we've outgrown": the incumbent, with a few words of what it is between.
    label: 'incumbent being replaced',
    // Only sentences with one of the verbs are read: the name-then-words pattern is costly elsewhere.
    gate: /\b(?:outgrown|replacing|replace|moving off|leaving|getting rid of)\b/i,
    re: new RegExp(
      String.raw`(${VENDOR})(?:'s)?(?:\s+[\p{Ll}-]+){0,3},?\s+${ci(String.raw`(?:which|that) (?:we've|we have|we|we're|we are|they've|they have|they|they're|they are) (?:(?:already|long since|completely) )?(?:outgrown|replacing|want to replace|need to replace|moving off|leaving|getting rid of)`)}`,
      'gu',
    ),
  },
];
const NEGATED =
  /\b(?:not|never|no longer|aren't|isn't|weren't|won't|don't|didn't|haven't|stopped)\s+(?:\w+\s+){0,2}$/i;
/**
 * How far before a vendor a negation is looked for: NEGATED reads at most two words back, and
 * reading the whole sentence before each vendor would cost its length per vendor.
 */
const NEGATION_REACH = 80;
const negatedBefore = (preceding: string) => NEGATED.test(preceding.slice(-NEGATION_REACH));
/** What follows a vendor and undoes it: past or abandoned looks, tools kept alongside us. */
const UNDONE_AFTER_PAST =
  /^[^.;]{0,60}\b(?:last (?:year|quarter|spring|summer|fall|autumn|winter)|previously)\b[^.;]{0,60}\b(?:not|never|didn't|passed)\b/i;
const UNDONE_AFTER =
  /^[^.;]{0,60}\b(?:in 20\d\d|years? ago|didn't (?:buy|go)|passed on|decided against|never looked|not interested|no interest|not (?:looking|considering|evaluating)|(?:was|were|got|been) ruled out|off the table|not an option)/i;
const NOT_COMPETING =
  /\b(?:integrat\w*|alongside|keep(?:ing)? (?:using )?|we(?:'re| are) keeping|connect(?:s|ed)? (?:to|with)|sync(?:s|ed)? with|works? at|worked at|used to work|plug(?:s|ged)? into|on top of|(?:is|are) staying|stays|isn't (?:changing|going anywhere)|is not (?:changing|going anywhere)|not replacing|won't replace|no plans to replace)\b/i;
const OPENERS =
  /^(?:honestly|so|well|also|but|and|yeah|yes|ok|okay|frankly|basically|actually|plus|now|then|again|still|maybe|probably|obviously|clearly)$/i;
const PRONOUNS = /^(?:you|your|yours|them|us|it|this|that|one|another|someone|something|the|a|an)$/i;
const EDITIONS =
  /^(?:enterprise|professional|premium|pro|standard|basic|plus|starter|business|team|edition|tier|cloud|suite)$/i;

/**
 * The kinds of product a customer uses alongside whatever they buy: a vendor named for one of
 * these jobs ("on X for hosting", "sign in with Y", "Z handles our SSO") is infrastructure.
 */
const ALONGSIDE_JOB = String.raw`(?:hosting|host(?:ed)?|cloud|infrastructure|servers?|data ?cent(?:er|re)s?|sso|single sign-on|identity|log-?ins?|sign-?ins?|authentication|auth|mfa|2fa|e-?mail|calendars?|video calls?|conferencing|payroll|crm|erp|billing|invoicing|accounting|finance|hr|hris|ticketing|help ?desk|service desk|itsm|data ?warehouse|warehouse|data lake|e-?commerce|marketing automation|ehr|emr|point of sale|pos|inventory|files|file (?:sharing|storage)|storage|documents|backups?|payments|phones?|telephony|messaging|chat|intranet|wiki|source control|code|policy admin\w*|claims|property management|(?:online )?store|storefront|website)`;
const ALONGSIDE = [
  (v: string) =>
    new RegExp(
      String.raw`${v}(?:'s)?\s+(?:\w+\s+){0,2}?(?:for|as|handles|runs|powers|does)\s+(?:our\s+|all\s+|the\s+)?${ALONGSIDE_JOB}\b`,
      'iu',
    ),
  (v: string) =>
    new RegExp(
      String.raw`\b${ALONGSIDE_JOB}\s+(?:is\s+|runs\s+|goes\s+|lives\s+)?(?:on|through|via|with|in|from|by)\s+(?:the\s+)?${v}`,
      'iu',
    ),
  (v: string) =>
    new RegExp(
      String.raw`\b(?:hosted|deployed|running|runs|run|built|sign(?:s|ed)? in|log(?:s|ged)? in|lives?|living|stored|kept|sits?|sitting)\s+(?:on|in|with|through|via)\s+(?:the\s+)?${v}`,
      'iu',
    ),
];

function usedAlongside(vendor: string, text: string): boolean {
  const v = String.raw`(?<![\p{L}0-9])${escapeRegExp(vendor)}(?![\p{L}0-9])`;
  return ALONGSIDE.some((re) => re(v).test(text));
}

export interface CompetitorInput {
  sentences: Sentence[];
  catalog: CompetitorCatalog;
  /** Lower-cased names that are people or our own company, never competitors. */
  excluded: Set<string>;
  /**
   * Lower-cased systems customers run beside us (Non_Competitors__c): "we're on Salesforce and
   * NetSuite" lists the customer's platforms, so the other names in that list are its stack too.
   */
  knownSystems?: ReadonlySet<string>;
}

export function extractCompetitors(input: CompetitorInput): Competitor[] {
  const found = new Map<string, Competitor>();
  const canonical = buildCanonical(input.catalog);
  // Names match in any case unless sales ops ask for their casing (Match_Case__c: "Outreach" the
  // vendor, not outreach the activity; "nCino" as written); aliases only as written or in capitals
  // ("drift" is not Drift), and a cased entry's only as written.
  const longestFirst = (list: string[]) => list.sort((a, b) => b.length - a.length).map(escapeRegExp);
  const names = longestFirst(input.catalog.entries.filter((e) => !e.matchCase).map((e) => e.name));
  const written = longestFirst(
    input.catalog.entries.flatMap((e) =>
      e.matchCase ? [e.name, ...e.aliases] : e.aliases.flatMap((a) => [a, a.toUpperCase()]),
    ),
  );
  const catalogRe = (list: string[], flags: string) =>
    list.length > 0 ? new RegExp(`${NAME_START}(?:${list.join('|')})${NAME_END}`, flags) : null;
  const catalogRes = [catalogRe(names, 'giu'), catalogRe(written, 'gu')];
  // Once per vendor and sentence: a sentence naming one vendor a thousand times is read once for it.
  const alongside = new Map<string, boolean>();
  const usedAlongsideIn = (vendor: string, s: Sentence) => {
    const key = `${s.start}\u0000${vendor}`;
    let used = alongside.get(key);
    if (used === undefined) alongside.set(key, (used = usedAlongside(vendor, s.text)));
    return used;
  };
  const note = (raw: string, given: string, s: Sentence, precedingText: string, followingText = '') => {
    let label = given;
    if (UNDONE_AFTER.test(followingText) || UNDONE_AFTER_PAST.test(followingText)) return;
    const listed = splitList(raw);
    if (label === 'incumbent' && listed.some((n) => input.knownSystems?.has(n.trim().toLowerCase()))) return;
    for (const name of listed) {
      const cleaned = cleanVendor(name, input.excluded);
      if (!cleaned) continue;
      if (negatedBefore(precedingText)) {
        // "We have not chosen Workday yet" still has Workday in the running; "not looking at" and
        // "we'd never go with" do not.
        if (label !== LOST_TO || /\b(?:never|won't|wouldn't|will not|would not)\b/i.test(precedingText))
          continue;
        label = 'evaluating';
      }
      // A tool kept alongside us is not competing with us.
      if (label.startsWith('incumbent') && NOT_COMPETING.test(s.text)) continue;
      // What the customer runs on or signs in with (cloud, identity, mail) is used alongside us.
      if (usedAlongsideIn(cleaned, s)) continue;
      // "Craig's paper", "Dana's point": a person's thing, not a vendor's.
      if (
        /^['’]s\s+(?:paper|idea|point|email|note|notes|slides?|team|question|view|boss|manager)\b/i.test(
          followingText,
        )
      )
        continue;
      const key = canonical.get(cleaned.toLowerCase()) ?? cleaned;
      if (!found.has(key.toLowerCase()))
        found.set(key.toLowerCase(), { name: key, context: label, evidence: evidenceForSentence(s) });
    }
  };
  for (const s of input.sentences) {
    for (const { label, re } of CONTEXTS) {
      re.lastIndex = 0;
      let m: RegExpExecArray | null;
      while ((m = re.exec(s.text))) {
        if (
          label === 'compared' &&
          /^\s*or\b/i.test(m[0]) &&
          !/\b(?:vs|versus|compar|instead|alternative|cheaper|better)\b/i.test(s.text)
        )
          continue;
        if (
          label === 'compared' &&
          /^\s*against\b/i.test(m[0]) &&
          !/\b(?:up against|compet|bake|head to head|evaluat|compar)\b/i.test(s.text)
        )
          continue;
        note(m[1]!, label, s, s.text.slice(0, m.index), s.text.slice(m.index + m[0].length));
      }
    }
    for (const { label, re, gate } of AFTER_VENDOR) {
      if (gate && !gate.test(s.text)) continue;
      re.lastIndex = 0;
      let m: RegExpExecArray | null;
      while ((m = re.exec(s.text))) {
        const following = s.text.slice(m.index + m[0].length);
        note(m[1]!, label, s, s.text.slice(0, m.index), following);
        const joined = JOINED_BEFORE.exec(s.text.slice(Math.max(0, m.index - JOIN_REACH), m.index));
        if (joined) note(joined[1]!, label, s, s.text.slice(0, m.index - joined[0].length), following);
      }
    }
    // Read once per sentence, not once per vendor named in it.
    let notCompeting: boolean | null = null;
    for (const re of catalogRes) {
      if (!re) continue;
      re.lastIndex = 0;
      let c: RegExpExecArray | null;
      while ((c = re.exec(s.text))) {
        const name = canonical.get(c[0].toLowerCase())!;
        if (found.has(name.toLowerCase()) || negatedBefore(s.text.slice(0, c.index))) continue;
        // "Wei Gong (Dir. IT)": a person's surname that is also a vendor's name.
        if (surnameOfPerson(s.text, c.index, c[0], input.excluded)) continue;
        // A catalogued name alone is presence only when nothing says it is not competing.
        notCompeting ??= NOT_COMPETING.test(s.text) || PERSONAL_RELATIONS.test(s.text);
        if (usedAlongsideIn(name, s)) continue;
        if (notCompeting || UNDONE_AFTER.test(s.text.slice(c.index + c[0].length))) continue;
        found.set(name.toLowerCase(), { name, context: 'mentioned', evidence: evidenceForSentence(s) });
      }
    }
  }
  // "Intacct quoted 71k" and "Sage Intacct is the frontrunner" are one vendor: keep the full name.
  const all = [...found.values()];
  return all.filter(
    (c) =>
      !all.some(
        (o) =>
          o !== c &&
          o.name.length > c.name.length &&
          new RegExp(`(?:^|\\s)${escapeRegExp(c.name)}(?:$|\\s)`).test(o.name),
      ),
  );
}

/** The name at `index` follows a known person's first name, or completes a known person's name. */
function surnameOfPerson(text: string, index: number, name: string, excluded: Set<string>): boolean {
  const given = /(\p{Lu}[\p{L}'-]*)\s+$/u.exec(text.slice(Math.max(0, index - 40), index))?.[1];
  if (!given) return false;
  const lower = given.toLowerCase();
  return !NOT_NAMES.has(lower) && (excluded.has(`${lower} ${name.toLowerCase()}`) || excluded.has(lower));
}

function buildCanonical(catalog: CompetitorCatalog): Map<string, string> {
  const map = new Map<string, string>();
  for (const entry of catalog.entries) {
    map.set(entry.name.toLowerCase(), entry.name);
    for (const alias of entry.aliases) map.set(alias.toLowerCase(), entry.name);
  }
  return map;
}

function splitList(raw: string): string[] {
  return raw
    .split(/\s*(?:,|\band\b|\bor\b|\/|&)\s*|\s+\+\s*/)
    .map((s) => s.replace(/^also\s+/i, '').trim())
    .filter(Boolean);
}

function cleanVendor(raw: string, excluded: Set<string>): string | null {
  const name = raw
    // "Our Zuora contract renews": a sentence-opening determiner is not part of the name.
    .replace(/^(?:the|a|an|our|their|your|my)\s+/i, '')
    .replace(/['’]s$/, '')
    .replace(/[.,;:]+$/, '')
    .trim();
  if (!name || PRONOUNS.test(name)) return null;
  const tokens = name.split(/\s+/);
  // "Honestly Gong": a sentence-opening word swept up with the name.
  if (tokens.length > 1 && OPENERS.test(tokens[0]!)) return cleanVendor(tokens.slice(1).join(' '), excluded);
  const first = tokens[0]!.toLowerCase();
  // A multi-word proper name ("Digital Realty", "Sage Intacct") is a name even if its first word is common.
  const properName =
    tokens.length > 1 && tokens.every((t) => /^\p{Lu}/u.test(t)) && !OPENERS.test(tokens[0]!);
  if (
    (!properName && (NOT_NAMES.has(first) || EDITIONS.test(first))) ||
    excluded.has(name.toLowerCase()) ||
    excluded.has(first)
  )
    return null;
  // Plural acronyms ("FFTs", "KPIs") are things, not vendors.
  if (/^\p{Lu}{2,}s$/u.test(name)) return null;
  // Two letters is a vendor only in capitals ("HP"); "Th" is a stutter.
  if (/^\d/.test(name) || name.length < 2 || (name.length === 2 && name !== name.toUpperCase())) return null;
  // A second token that is a common word is not part of the name ("Clari Monday" is unlikely).
  // A proper name that opens with a common word ("When I Work") is only a name as a whole.
  if (properName && NOT_NAMES.has(first)) return name;
  const common = tokens.findIndex((t, i) => i > 0 && (NOT_NAMES.has(t.toLowerCase()) || EDITIONS.test(t)));
  if (common > 0) return tokens.slice(0, common).join(' ');
  return name;
}
