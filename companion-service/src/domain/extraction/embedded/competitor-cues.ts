import { BRANDS, NOT_NAMES } from './lexicon.js';

/**
 * How buyers speak of a vendor competing for their deal: the cue words around a vendor's name and
 * the standing each gives it (incumbent / evaluating / lost to / ...). The name itself is read by its
 * shape, so the cues hold for vendors no catalog lists; what makes a named vendor not competing is
 * in competitor-vetoes.ts.
 */
/**
 * Names that open with digits: a number run into a capitalised word ("1Password", "360Learning",
 * "15Five") or digits around one letter ("8x8"). A number before a lower-case unit ("3rd", "10am",
 * "60k", "3x") is not one.
 */
export const DIGIT_LED = String.raw`\d+\p{Lu}\p{Ll}[\p{L}0-9]*|\d+x\d+(?![\p{L}0-9])`;
const EVERYDAY_BRANDS = new Set(['zoom', 'teams', 'slack', 'excel', 'outlook', 'google', 'oracle']);
/**
 * Well-known products people type in lower case ("we've outgrown hubspot"); those that are also
 * everyday words ("zoom", "teams", "slack") stay out, or every "teams" would be a vendor.
 */
const LOWER_BRANDS = [...BRANDS].filter((b) => !NOT_NAMES.has(b) && !EVERYDAY_BRANDS.has(b)).join('|');
/**
 * Vendor names: capitalized ("Clari", "New Relic", "Bill.com"), mixed case from a lower-case start
 * ("nCino", "eBay", "hireEZ", never cut to its capitalized tail), lower-case with a digit or a dot
 * ("project44"), or opening with digits (DIGIT_LED).
 */
export const VENDOR = String.raw`(?<![\p{L}0-9])(?:(?:${LOWER_BRANDS})(?![\p{L}0-9])|${DIGIT_LED}|\p{Ll}{1,6}\p{Lu}[\p{L}0-9]*|\p{Lu}[\p{L}0-9]*(?:[.-][\p{L}0-9]+)*\+?|\p{Ll}+\d+\p{L}*|\p{Ll}+\.(?:com|io|ai|co))(?:\s+(?:\p{Lu}[\p{L}0-9]*|\d+)){0,2}`;
const LIST = String.raw`(?:(?:the|a|an|our|their)\s+)?(${VENDOR}(?:\s*(?:,|\band\b|\bor\b|\by\b|/|&|\+)\s*(?:also\s+)?(?:the\s+)?${VENDOR}){0,4})`;

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
/**
 * "Our shortlist is you, Phreesia and Luma Health": a list of the vendors weighed may open with us,
 * which is not a vendor and is stepped over.
 */
const US_FIRST = String.raw`(?:\s+${ci(String.raw`(?:you|us|yourselves|ustedes|vosotros)`)}(?:\s*,|\s+${ci(String.raw`(?:and|or|plus|vs\.?|versus|y)`)}\b))?`;
const before = (cue: string) => new RegExp(String.raw`${ci(cue)}${US_FIRST}[,:]?\s+${LIST}`, 'gu');
// The cue is one group: a cue of alternatives ("X|Y") must follow the vendor in each of them.
const after = (cue: string) =>
  new RegExp(
    String.raw`(${VENDOR})(?:'s)?,?\s+(?:${ci(String.raw`(?:both|also|all|just|already) `)})?(?:${ci(cue)})`,
    'gu',
  );
/**
 * "Verkada and Rhombus are both in the running": the vendor joined to the one before a cue. Read
 * only where a cue matched, on a short stretch, so a list costs nothing where no cue is.
 */
export const JOINED_BEFORE = new RegExp(String.raw`(${VENDOR})\s*(?:,|\band\b|&|/)\s*$`, 'u');
export const JOIN_REACH = 60;
/** The vendor right before a conjunction cue ("Samsara or", "Samsara vs."). */
export const PAIRED_BEFORE = new RegExp(String.raw`(${VENDOR})\s*$`, 'u');

/** The customer bought from someone else: the deal, or this part of it, went to them. */
export const LOST_TO = 'lost to';

/**
 * A cue and the standing it gives the vendors it names. `pairs`: a conjunction ("X or Y", "X vs Y")
 * names a vendor on each side; `gate`: the cue is read only in a sentence that says this, a cheap
 * test that spares the costly pattern (a name may start anywhere) in most sentences.
 */
export interface Cue {
  label: string;
  re: RegExp;
  pairs?: boolean;
  gate?: RegExp;
}

export const CONTEXTS: Cue[] = [
  {
    label: 'evaluating',
    re: before(
      String.raw`\b(?:(?:the |our |their )?short-?list (?:is|was|includes|has)|shortlist(?:ed)?:?|leaning(?: (?:toward|towards))?|favou?ring|up against)`,
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
    // "invoicing on FieldEdge since 2018", "with Acme for six years": how long they have been on it.
    label: 'incumbent',
    gate: /\b(?:since|years)\b/i,
    re: new RegExp(
      String.raw`(?:^|[\s(])${ci(String.raw`(?:on|using|with|running)`)}\s+${LIST},?\s+${ci(String.raw`(?:since (?:(?:early |late |mid-?)?(?:19|20)\d\d|\w+ (?:19|20)\d\d)|for (?:the (?:last|past) )?(?:\d+|a few|a couple of|several|many|two|three|four|five|six|seven|eight|nine|ten) years)`)}`,
      'gu',
    ),
  },
  {
    // "we've been a Geotab customer since 2017": a customer of theirs for a while.
    label: 'incumbent',
    gate: /\b(?:customer|client|user|subscriber)s?\b/i,
    re: new RegExp(
      String.raw`${ci(String.raw`\b(?:an?|their)`)}\s+(${VENDOR})\s+${ci(String.raw`(?:customer|client|user|subscriber)s?\s+(?:since|for|today|currently|right now)\b`)}`,
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
    // "a bake-off in November: you, Datadog and Grafana", "it went to three vendors: you, X and Y",
    // "la licitación se envió a tres proveedores: ustedes, X y Y": an evaluation's field after a colon.
    label: 'evaluating',
    gate: /bake-?off|\brf[piq]\b|tender|horse race|short-?list|finalists|licitaci|concurso|vendors|providers|suppliers|proveedores/i,
    re: new RegExp(
      String.raw`${ci(String.raw`(?:\b(?:bake-?off|rf(?:p|i|q)|tender|short-?list|finalists|concurso|(?:two|three|four)-horse race)\b|licitación|\b(?:two|three|four|five|six|dos|tres|cuatro|cinco|seis|\d) (?:vendors|providers|suppliers|companies|options|proveedores|empresas|opciones)\b)`)}[^.;:?!]{0,60}[:,]${US_FIRST}\s+${LIST}`,
      'gu',
    ),
  },
  {
    // "The other one we're looking at is Rippling", "the one to beat is Acme": the standing first.
    label: 'evaluating',
    re: before(
      String.raw`\b(?:(?:the |our )?(?:other|only|main|remaining) (?:one|option|vendor|tool|platform|contender|finalist)s? (?:(?:that|which) )?(?:we're|we are|we've been|I'm|they're|they are) (?:also |still )?(?:looking at|evaluating|considering|talking to|speaking (?:to|with)|weighing)|(?:front-?runner|favou?rite|one to beat|runner-?up|other finalist)) (?:is|was|are)`,
    ),
  },
  {
    // "We also had ETQ in", "they had Workato in for a demo": only a vendor is had in to pitch.
    label: 'evaluating',
    gate: /\b(?:had|have|brought|bringing|having)\b/i,
    re: new RegExp(
      String.raw`${ci(String.raw`\b(?:had|have had|brought|bringing|having)`)}\s+${LIST}\s+${ci('in')}(?=\s*[.,;!]|\s*$|\s+(?:for|to)\s+(?:a\s+|an\s+|the\s+|their\s+)?(?:demo|present|pitch|presentation|walkthrough|workshop|look|session))`,
      'gu',
    ),
  },
  {
    // Notes keyed by the present: "today: ~300 zaps on Zapier", "sourcing today = hireEZ".
    label: 'incumbent',
    gate: /\b(?:today|currently|current|now)\s*[:=]/i,
    re: new RegExp(
      String.raw`^\W{0,3}(?:[\p{L}-]+\s+){0,2}${ci(String.raw`(?:today|currently|current(?: (?:setup|state|system|tool|stack))?|right now|now)`)}\s*[:=]\s*(?:[^.;:]{0,40}?\s${ci(String.raw`(?:on|using|via)`)}\s+)?${LIST}`,
      'gu',
    ),
  },
  {
    // The same in Spanish: "la otra opción es X", "llevamos cinco años con X".
    label: 'evaluating',
    re: before(
      String.raw`\b(?:la (?:otra|única) (?:opción|alternativa|propuesta)|el otro (?:proveedor|finalista)) (?:es|era|sería)`,
    ),
  },
  {
    label: 'incumbent',
    gate: /\bllev(?:amos|an)\b/i,
    re: before(String.raw`\bllev(?:amos|an) (?:\S+ ){0,3}?(?:años|meses) con`),
  },
  {
    // "The cheapest so far is X", "the lowest bid was X": a price of its own, against ours.
    label: 'quoting against us',
    gate: /\b(?:cheapest|lowest|least expensive|best price)/i,
    re: before(
      String.raw`\b(?:cheapest|lowest (?:bid|quote|price|offer|number)|least expensive|best price)(?: (?:one|option|bid|quote))?(?: so far| by far| overall)? (?:(?:is|was)(?: the (?:one|quote|bid|offer|proposal) from)?|came from)`,
    ),
  },
  {
    // "We've got X on a three-year deal", "X on an annual contract": the vendor under contract now.
    label: 'incumbent',
    gate: /\b(?:deal|contract|term|licen[cs]e|subscription|agreement)\b/i,
    re: new RegExp(
      String.raw`${LIST}\s+${ci(String.raw`on an?\s+(?:[\w-]+\s+){0,2}?(?:deal|contract|term|licen(?:c|s)e|subscription|agreement)\b`)}`,
      'gu',
    ),
  },
  {
    // "We inherited X from the previous CIO": the vendor the customer is on. ("We're an X shop"
    // says what the customer builds on, its stack, not what it would replace.)
    label: 'incumbent',
    gate: /\binherited\b/i,
    re: before(String.raw`\b(?:we|they|I) inherited`),
  },
  {
    // "Procurement invited X and Y to respond", "we put X through a two-week trial".
    label: 'evaluating',
    gate: /\b(?:invit|put)/i,
    re: new RegExp(
      String.raw`${ci(String.raw`\b(?:invit(?:e|es|ed|ing)|put(?:ting)?)`)}\s+${LIST}\s+${ci(String.raw`(?:(?:also |too )?to (?:respond|bid|quote|tender|present|demo|pitch|submit|take part)|through (?:a |an |the |their )?(?:[\w-]+ ){0,2}?(?:trial|pilot|poc|proof of concept|test|evaluation|bake-?off))`)}`,
      'gu',
    ),
  },
  {
    // "we're seeing X next week for a demo", "a call with X on Friday to see their platform".
    label: 'evaluating',
    gate: /\b(?:demo|pitch|present|see their|show us|walk us through)/i,
    re: new RegExp(
      String.raw`${ci(String.raw`\b(?:seeing|meeting(?: with)?|(?:call|session|meeting) with)`)}\s+${LIST}(?=[^.;]{0,40}\b(?:demo|pitch|present|see their|show us|walk us through))`,
      'gu',
    ),
  },
  {
    label: 'compared',
    re: before(
      String.raw`\b(?:compar(?:e|es|ed|ing)|weigh(?:s|ed|ing)?|measur(?:e|es|ed|ing)|benchmark(?:s|ed|ing)?|stack(?:s|ed|ing)?|pit(?:s|ted|ting)?) (?:us|you|them|it) (?:up )?(?:with|to|against)`,
    ),
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
      String.raw`\b(?:chose|chosen|went (?:with|w/|for)|going with|go with|decided to (?:go with|move to|switch to)|selected|picked|sign(?:ed|ing)? (?:with|w/)|decided on|opt(?:ed|ing) for|(?:decided|chosen|chose|opted|elected) to (?:partner|work|proceed|sign|go ahead) with|(?:contract|business|deal|bid|tender|rfp|work) went to|landed on|settled on|moving forward with|moved forward with|awarded (?:it|the contract) to|lost (?:[\w-]+\s+){0,3}?to)`,
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
      String.raw`\b(?:replac(?:e|ing)|rip(?:ping)? out|sunset(?:ting)?|unhappy with|frustrated with|fed up with|sick of|tired of|done with|(?:we're|we are|we'll be|we will be|they're|they are|planning on|plan to|want to|looking to) leav(?:e|ing))`,
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
      String.raw`\b(?:renewal with|contract with|agreement with|subscription with|licence with|license with|locked in(?:to| with| to)|stuck with|(?:our|the|current|existing) (?:deal|term) with|renew(?:ed|ing)? with|(?:up for|due for) renewal with)`,
    ),
  },
  {
    label: 'incumbent',
    re: before(
      String.raw`\b(?:(?:we've|we have|we've been|have been|been) (?:on|using|with|running)|(?:we've|we have|they've|they have) (?:used|had)|currently (?:use|using|on|run on|running|pay)|we(?:'re| are)? (?:use|using|on|paying)|they(?:'re| are) (?:using|paying)|(?:we |today we |currently )?pay(?:ing)?|(?:today|currently|right now),? we (?:use|run|have)|today we use|incumbent(?: (?:vendor|provider|supplier|system|platform|solution|tool))?(?: is|,)?|(?:our|their|the) (?:current|existing|old|legacy) (?:vendor|tool|provider|supplier|solution|platform|system|software)(?: is)?|what we see on|compared to what we get (?:from|on))`,
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
      String.raw`\b(?:evaluat(?:e|ed|ing)|kick(?:ing|ed)? the (?:tires|tyres) on|looking at|look at|looked at|consider(?:ing)?|talk(?:ing)? to|speaking (?:with|to)|in talks with|trial(?:l)?ing|pilot(?:ing)?|demo(?:ing|'d|ed)|test(?:ing)?|shortlist(?:ed)?|short-listed|benchmark(?:ing)?|bake-?off with|RFP (?:with|to))(?:\s+also)?`,
    ),
  },
  {
    label: 'compared',
    re: before(String.raw`\b(?:compar(?:e|ed|ing)|stack(?:s|ed)? up)\s+(?:\w+\s+){0,3}?(?:to|with|against)`),
  },
  {
    label: 'compared',
    re: before(String.raw`(?:\bvs\.?|\bversus|\bup against|\bagainst|\bor)`),
    pairs: true,
  },
  {
    // "cheaper than Samsara", "unlike Motive, you have...", "we're comparing you, X and Y" (us named
    // first: "comparing Salesforce reports" compares no vendors).
    label: 'compared',
    gate: /\b(?:than|unlike|comparison|compar|weigh)/i,
    re: before(
      String.raw`\b(?:(?:cheaper|pricier|more expensive|less expensive|higher|lower|better|worse|faster|slower|easier|simpler|clunkier|more flexible|more modern) than|unlike|in comparison (?:with|to)|(?:compar(?:e|es|ed|ing)|weigh(?:ing)?(?: up)?) (?:you|us)(?:\s*,|\s+and))`,
    ),
  },
  {
    // "we compared Paycor and Paylocity": two vendors or more side by side, never one name alone.
    label: 'compared',
    gate: /\b(?:compar|weigh)/i,
    re: new RegExp(
      String.raw`${ci(String.raw`\b(?:compar(?:e|es|ed|ing)|weigh(?:ing|ed)?(?: up)?)`)}\s+((?:(?:the|a|an|our|their)\s+)?${VENDOR}\s*(?:,|${ci(String.raw`\band\b|\bor\b|\bvs\.?|\bversus\b`)})\s*(?:the\s+)?${VENDOR}(?:\s*(?:,|${ci(String.raw`\band\b|\bor\b`)})\s*${VENDOR}){0,3})`,
      'gu',
    ),
  },
  {
    // "a quote from Verizon Connect and one from Samsara".
    label: 'quoting against us',
    re: before(String.raw`\b(?:and|plus) (?:one|another)(?: (?:quote|bid|proposal|offer))? from`),
    gate: /\b(?:quote|bid|proposal|offer|pricing)/i,
  },
  {
    // "their rep from Motive keeps calling": only a vendor sends a salesperson. Never "our"/"I'm
    // Sam, account executive at ...": that is how our own rep says who they are.
    label: 'evaluating',
    gate: /\b(?:rep|account|sales)/i,
    re: before(
      String.raw`\b(?:their|a|an|the other|another|some) (?:sales ?rep|rep|account exec\w*|account manager|salesperson|sales (?:guy|person)|AE) (?:from|at)`,
    ),
  },
  {
    label: 'evaluating',
    re: before(
      String.raw`\b(?:(?:free )?trial of|(?:poc|proof of concept|bake-?off|shoot-?out|head[- ]to[- ]head) (?:with|of|against|between)|(?:pilot|trial|poc|proof of concept|test drive)s? (?:with|of)|evaluation of)`,
    ),
  },
  {
    label: 'compared',
    re: before(
      String.raw`\b(?:(?:it's|it is|between|either)|(?:(?:comes?|came|coming|boils|boiled|it's|it is|we're|we are) down to)|(?:narrow(?:ed|ing)?|whittl(?:ed|ing)|cut) (?:it |this |the list )?(?:down )?to) (?:you|us) (?:or|and)`,
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
    // Notes keyed by standing: "Incumbent: Geotab (renews 3/27)", "Also evaluating: Motive, Lytx".
    label: 'incumbent',
    re: new RegExp(
      String.raw`^\W{0,3}${ci(String.raw`(?:incumbent|current (?:vendor|provider|supplier|solution))`)}\s*[:=-]\s*${LIST}`,
      'gu',
    ),
  },
  {
    label: 'evaluating',
    re: new RegExp(
      String.raw`^\W{0,3}${ci(String.raw`(?:also )?(?:evaluating|looking at|considering|shortlist(?:ed)?|in the (?:mix|running))`)}\s*[:=-]\s*${LIST}`,
      'gu',
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
export const AFTER_VENDOR: Cue[] = [
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
      String.raw`${LIST}\s*(?:=|,)?\s*${ci(String.raw`(?:(?:is|are)\s+)?(?:our |the |their )?(?:incumbent|current (?:supplier|vendor|provider|system|tool|platform)|currently has the contract|has (?:had |held )?the contract|holds the contract)`)}`,
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
      String.raw`(?:had\s+)?(?:offered|came in (?:lower|cheaper|under)|is (?:lower|cheaper)|undercut|(?:is|are) (?:offering|quoting|throwing in|discounting)|threw in|(?:is|are|was|were|'s been|been|has been|have been) (?:really |very |pretty |super |being )?(?:aggressive (?:on|with)|pushing (?:hard |really hard )?on) (?:price|pricing|discount\w*))`,
    ),
  },
  {
    label: 'quoting against us',
    re: after(
      String.raw`(?:quoted|offered|came in(?! (?:on|to|and|by|for|last|yesterday|today|this|next)\b)|charges?|charged|is cheaper|was cheaper|are cheaper|is less expensive|undercut|gave us (?:a |an |their )?(?:(?:really |very |pretty )?(?:better|lower|cheaper|bigger|good|great|aggressive) )?(?:quote|price|discount|deal|offer|number)|(?:wants?|offered|is offering|asked) to (?:do|run|set up) (?:a |an )?(?:pilot|poc|trial|demo|proof of concept|bake-?off)|pitched|is pushing|sent (?:their|a|us (?:a|their)|over (?:a|their)) (?:quote|proposal|pricing)|(?:quote|pricing|price|offer|proposal|bid) (?:is|was|came))`,
    ),
  },
  {
    label: 'evaluating',
    re: after(
      String.raw`(?:is|are)\s+(?:also\s+|both\s+)?(?:still\s+)?(?:bidding|quoting|tendering|responding to (?:the |our )?(?:rfp|rfq|tender)|on the table|in the running|on (?:the|our) shortlist|in the mix|a contender|(?:the other |a )?finalist|doing (?:a |their )?(?:demo|poc|pilot|trial|proof of concept|bake-?off)|demoing|running a (?:pilot|poc|trial))`,
    ),
  },
  {
    // "X is in the final two with you", "X made it to the final round".
    label: 'evaluating',
    gate: /\b(?:final|last) (?:two|three|four|round|stage|cut)\b/i,
    re: after(
      String.raw`(?:is|are|made it|got|went) (?:in|into|to|through to) the (?:final|last) (?:two|three|four|round|stage|cut)\b`,
    ),
  },
  {
    label: LOST_TO,
    gate: /\b(?:won|got the|beat|selected|chosen|awarded)\b/i,
    re: after(
      String.raw`(?:won|got the (?:deal|business|contract|work|nod)|beat (?:you|us)|(?:was|were|got|has been|have been) (?:selected|chosen|awarded)(?! to\b)|won out)`,
    ),
  },
  {
    // "Samsara demoed last week", "Rhombus did a demo for facilities": only a vendor demos in a deal.
    label: 'evaluating',
    gate: /\b(?:demo|present|pitch|walkthrough)/i,
    re: after(
      String.raw`(?:(?:team|people|folks|reps?|sales team) )?(?:also |already |just |both )?(?:demoed|demo'd|did (?:a |an |their )?(?:demo|presentation|pitch|walkthrough)|gave (?:us |them )?(?:a |an |their )?(?:demo|presentation|pitch|walkthrough)|came (?:in|by|on-?site|over) (?:\w+ ){0,3}?(?:to|and) (?:demo|present|pitch)|(?:is|are) (?:coming|scheduled) (?:in |on-?site )?to (?:demo|present|pitch))`,
    ),
  },
  {
    // Notes drop the verb: "BuildOps also in the mix", "- Lytx in the running".
    label: 'evaluating',
    gate: /\b(?:in the|in contention|short-?list|on the table)/i,
    re: after(
      String.raw`(?:also |both |still )?(?:in the running|in the mix|in contention|on (?:the|our) short-?list|on the table)`,
    ),
  },
  {
    // "Paycor vs. you is the real decision".
    label: 'compared',
    gate: /\b(?:vs\.?|versus|or) (?:you|us)\b/i,
    re: after(String.raw`(?:vs\.?|versus|or) (?:you|us)\b`),
  },
  {
    // "Fiix and UpKeep are the other two we're looking at", "Coupa is the other one we're evaluating".
    label: 'evaluating',
    gate: /\b(?:looking at|evaluating|considering|talking to|comparing|weighing|speaking)\b/i,
    re: new RegExp(
      String.raw`${LIST}\s+${ci(String.raw`(?:is|are|was|were) (?:the |our )?(?:(?:other|only|two|three|main|final|remaining) ){0,2}(?:one|ones|two|three|four|options?|vendors?|contenders?|finalists?|choices?|tools?|platforms?)? ?(?:(?:that|which) )?(?:we're|we are|we've been|we were|they're|they are|I'm) (?:also |still |seriously )?(?:looking at|evaluating|considering|talking to|comparing|weighing|speaking (?:to|with))`)}`,
      'gu',
    ),
  },
  {
    // "Acme has been our vendor since 2019", "Acme, which we've used for years".
    label: 'incumbent',
    re: after(
      String.raw`(?:has been|have been|'s been) (?:in place|in use|live|running) (?:since|for)|(?:has been|have been|was) (?:our|their) (?:vendor|provider|supplier|partner|platform|system|tool)|(?:which|that|who) (?:we've|we have|they've|they have) (?:used|had|been on|been using)`,
    ),
  },
  {
    // "Routific handles our routing today": the vendor doing the job now (cloud, identity and
    // business systems kept beside us are told apart by competitor-vetoes.ts).
    label: 'incumbent',
    gate: /\b(?:today|currently|right now|at the moment|now)\b/i,
    re: after(
      String.raw`(?:handles|runs|does|powers|manages|covers) (?:our|their|the|all (?:of )?(?:our|their)) (?:[\w-]+ ){0,3}?(?:today|currently|right now|at the moment|now)\b`,
    ),
  },
  {
    // "Acme renews in May", "Acme's contract is up in the fall": the vendor the customer pays now.
    label: 'incumbent',
    re: after(
      String.raw`(?:(?:contract|subscription|licen(?:c|s)e|agreement|renewal)\s+)?(?:renews|is up for renewal|comes up for renewal|is up in|expires|runs out|ends in|ends on|is up at the end)|(?:contract|subscription|licen(?:c|s)e|agreement|renewal|term) (?:is|comes) (?:due |up )?(?:in|on|at the end)`,
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
    re: after(
      String.raw`(?:is|was) (?:what|who) (?:we|the team|they) (?:use|run on|pay)|(?:es|era) (?:lo|el) que (?:usamos|utilizamos|tenemos|pagamos)`,
    ),
  },
  {
    // "X is what the platform team pays for": whoever on the customer's side pays it is under
    // contract with it. (What a team merely uses or lives in may be the stack it keeps: that takes
    // a second sign, below or in open detection.)
    label: 'incumbent',
    re: after(
      String.raw`(?:is|was) (?:what|who) (?:(?:our|the|their) )?(?:\w+ ){0,2}?\w+ (?:pays?|(?:is|are) paying) for`,
    ),
  },
  {
    // "X is what our recruiters live in today", "X es lo que usa finanzas hoy": what a team works in
    // now, the way buyers name the system a purchase would replace (kept ones are vetoed by what
    // else the clause says: "and that's not changing", "post into it").
    label: 'incumbent',
    gate: /\b(?:today|currently|right now|at the moment|hoy|actualmente|ahora)\b/i,
    re: after(
      String.raw`(?:(?:is|was) (?:what|who) (?:(?:our|the|their) )?(?:\w+ ){0,2}?\w+ (?:uses?|lives? in|works? in|rel(?:y|ies) on|runs? on)|(?:es|era) (?:lo|el) que (?:usa|usan|utiliza|utilizan)) (?:\S+ ){0,3}?(?:today|currently|right now|at the moment|hoy|actualmente|ahora)\b`,
    ),
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
