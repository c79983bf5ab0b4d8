import { z } from 'zod';
import type { Competitor } from '../../insights/schema.js';
import type { Sentence } from '../../text/sentences.js';
import { evidenceForSentence } from '../../stages/signal-matcher.js';
import { eng, spa } from 'stopword';
import { NOT_NAMES, TITLE_WORDS } from './lexicon.js';
import { VENDOR } from './competitor-cues.js';
import { cleanVendor } from './competitor-names.js';
import {
  AFFILIATED_BEFORE,
  BESIDE,
  NEGATED_FRAME,
  OWN_CONTRACT_AFTER,
  OWN_STEP_AFTER,
  OWN_STEP_AFTER_OTHER,
  OWN_STEP_BEFORE_OTHER,
  OWN_STEP_BEFORE,
  PRICE_AFTER,
  RELATIONS,
  type Frame,
} from './competitor-frames.js';
import {
  askedAndDenied,
  clauseAround,
  fedByThePurchase,
  negatedBefore,
  personsThing,
  replacementInQuestion,
  reportsCustomer,
  undoneAfter,
  usedAlongside,
  type UsedFor,
  workedThere,
} from './competitor-vetoes.js';

/**
 * Open detection of competitors: every product- or company-like name in the conversation is a
 * candidate, and each is judged on all its mentions together. A mention inside a commercial frame
 * (competitor-frames.ts) scores the frame's points; one beside the purchase (integrated with, signed
 * in through, kept, worked at) or negated scores against it. A vendor whose points reach the
 * threshold competes for the deal, with the standing of its most telling frame. Names come from
 * their shape, not from a list, so vendors no catalog knows are found; the points and threshold
 * are sales ops' (Scribe_Setting__mdt), not this module's.
 */

/**
 * How much evidence makes a vendor a competitor, from the Default Scribe_Setting__mdt record
 * (Competitor_Strong_Cue_Points__c, Competitor_Weak_Cue_Points__c, Competitor_Seller_Mention_Share__c,
 * Competitor_Evidence_Threshold__c). No defaults here: the package ships them once, in its record.
 */
export const CompetitorEvidenceWeightsSchema = z.object({
  /** Points for a mention in a strong frame ("shortlist", "switching from", "went with"). */
  strongCuePoints: z.number().min(0).max(100),
  /** Points for a mention in a weak frame (a price, "currently", what the customer is on). */
  weakCuePoints: z.number().min(0).max(100),
  /** Share of its points a mention keeps when only our side says it (our rep's own comparisons). */
  sellerMentionShare: z.number().min(0).max(1),
  /** Points a vendor needs, summed over its mentions. */
  threshold: z.number().positive().max(1000),
});
export type CompetitorEvidenceWeights = z.infer<typeof CompetitorEvidenceWeightsSchema>;

export interface OpenCompetitorInput {
  sentences: readonly Sentence[];
  /** Lower-cased names that are people, our company or the customer's: never vendors. */
  excluded: Set<string>;
  /** Lower-cased names of everyone the conversation names (first names too). */
  people: ReadonlySet<string>;
  knownSystems?: ReadonlySet<string>;
  /** Lower-cased vendors already found by their cues: not judged twice. */
  found: ReadonlySet<string>;
  saidBySeller: (s: Sentence) => boolean;
  weights: CompetitorEvidenceWeights;
}

/**
 * A vendor's name by its shape, in Latin letters whatever the language around it: "用Salesforce做CRM"
 * names Salesforce, so the name stops where Latin letters do.
 */
const CANDIDATE = new RegExp(VENDOR.replaceAll(String.raw`\p{L}`, String.raw`\p{Script=Latin}`), 'gu');
/** Business shorthand written in capitals: never a vendor on its own. */
const SHORTHAND =
  /^(?:[A-Z]{1,2}|CRM|ERP|MES|WMS|TMS|CMMS|EAM|EDR|XDR|SIEM|MDM|FSM|CPQ|CLM|HCM|ELD|LOS|PMS|POS|SIS|CAD|PLM|SCM|MRP|RFP|RFI|RFQ|SOW|MSA|NDA|DPA|SLA|POC|PO|SSO|API|APIs|SOC|ISO|GDPR|HIPAA|PCI|KPI|ROI|TCO|ARR|MRR|QBR|EOD|EOW|EOM|EOQ|COB|ASAP|FYI|TBD|TBC|ETA|USD|EUR|GBP|CAD|AUD|SaaS|IT|HR|HRIS|ATS|LMS|EHR|EMR|BI|ETL|CSV|PDF|URL|UI|UX|AI|ML|IPO|LLC|LTD|INC|FY\d*|Q[1-4]|H[12]|AM|PM|UTC|EST|PST|GMT|CET|ET|PT|OK|US|USA|UK|EU|EMEA|APAC|LATAM|NA|VP|SVP|EVP|CEO|CFO|COO|CTO|CIO|CISO|CRO|CMO|CPO|IMO|TBH|FWIW|RE|FW|FWD|CC|BCC)$/;
/** What follows a place's name: a site of the customer's own. */
const PLACE_AFTER =
  /^\s+(?:office|site|branch|plant|store|region|campus|warehouse|clinic|hospital|facility|location|depot|hub|mill|factory|headquarters|HQ)s?\b/;
/** "Hi Grace", "Thanks Omar": a greeting before a person. */
const GREETINGS = /^(?:hi|hey|hello|dear|thanks|thank|cheers|regards|best|morning|afternoon|evening)$/;
/** Days and months, whole or cut short, with or without a day number ("Sept 30", "Tues"). */
const CALENDAR =
  /^(?:mon|tue|tues|wed|weds|thu|thur|thurs|fri|sat|sun|jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec)(?:\s+\d.*)?$|^\p{L}+\s+\d{1,2}(?:st|nd|rd|th)?$/iu;
const STOPWORDS = new Set([...eng, ...spa]);
const TITLE_SET = new Set(TITLE_WORDS.map((t) => t.toLowerCase()));
/** How far either side of a name its frame is read: a few words, not the whole clause. */
const FRAME_REACH = 80;

interface Tally {
  name: string;
  points: number;
  beside: number;
  negated: number;
  contested: boolean;
  ownCompany: boolean;
  label: string;
  labelRank: number;
  evidence: Sentence;
}

/** Standings that put a vendor against us even when it is also used today. */
const CONTESTED = new Set([
  'lost to',
  'incumbent being replaced',
  'quoting against us',
  'evaluating',
  'compared',
]);
const contests = (f: Frame) => f.strength === 'strong' && (f.contests === true || CONTESTED.has(f.label));
/** Which standing a vendor keeps when its mentions give several. */
const STANDING_ORDER = [
  'lost to',
  'incumbent being replaced',
  'incumbent',
  'quoting against us',
  'evaluating',
  'compared',
];

/** Shorthand for a kind of system or a business term, never a vendor's name. */
export const isShorthand = (name: string) => SHORTHAND.test(name);

export function findOpenCompetitors(input: OpenCompetitorInput): Competitor[] {
  const { sentences, weights } = input;
  const lowerWords = new Set<string>();
  const midCapitals = new Set<string>();
  for (const s of sentences) {
    for (const w of s.text.matchAll(/(?<![\p{L}0-9.])\p{Ll}[\p{Ll}'’-]*/gu)) lowerWords.add(w[0]);
    for (const w of s.text.matchAll(/(?<=[\p{Ll},;:] )\p{Lu}[\p{L}0-9]*/gu)) midCapitals.add(w[0]);
  }
  const tallies = new Map<string, Tally>();
  // What job a vendor does for the customer is read once per sentence and vendor, not per mention.
  const jobs = new Map<string, UsedFor>();
  const usedFor = (name: string, s: Sentence) => {
    const key = `${s.start}\u0000${name}`;
    let used = jobs.get(key);
    if (used === undefined) jobs.set(key, (used = usedAlongside(name, s.text)));
    return used;
  };
  // "Who else are you looking at?" - "Motive and Samsara.": the question's frame is the answer's.
  let asking: { frames: Frame[]; speaker: string | null; reach: number } | null = null;
  /** Sums a mention's frames into its vendor's tally; `naming` is the sentence that names it. */
  const score = (tally: Tally, reading: Frame[], s: Sentence, naming: Sentence) => {
    const strong = reading.some((f) => f.strength === 'strong');
    // A strong frame says it alone; weak ones add up ("today we pay X roughly 700k").
    const points =
      (strong
        ? weights.strongCuePoints
        : Math.min(weights.strongCuePoints, reading.length * weights.weakCuePoints)) *
      (input.saidBySeller(s) && !reportsCustomer(s.text) ? weights.sellerMentionShare : 1);
    tally.points += points;
    if (reading.some(contests)) tally.contested = true;
    const best = reading.find((f) => f.strength === 'strong') ?? reading[0]!;
    const rank = STANDING_ORDER.indexOf(best.label);
    if (rank < tally.labelRank) {
      tally.labelRank = rank;
      tally.label = best.label;
      tally.evidence = naming;
    }
  };
  // The one vendor the previous sentence named, and who named it.
  let previous: { key: string | null; speaker: string | null; sentence: Sentence } | null = null;
  sentences.forEach((s, index) => {
    const named = new Set<string>();
    const opening = new Set<string>();
    const denied = askedAndDenied(sentences, index);
    const carried =
      asking && asking.reach > 0 && (asking.speaker === null || s.speaker !== asking.speaker)
        ? asking.frames
        : [];
    if (asking) asking.reach--;
    const lead = leadingFrames(s);
    if (lead.length > 0)
      asking = { frames: lead, speaker: s.speaker, reach: s.isQuestion ? 1 : HEADER_REACH };
    CANDIDATE.lastIndex = 0;
    for (let m = CANDIDATE.exec(s.text); m; m = CANDIDATE.exec(s.text)) {
      // "Raiser's Edge": a possessive before a capitalised word is inside the name.
      const inner = POSSESSIVE_NAME.exec(s.text.slice(CANDIDATE.lastIndex, CANDIDATE.lastIndex + 40));
      const raw = inner && !NOT_NAMES.has(inner[1]!.toLowerCase()) ? m[0] + inner[0] : m[0];
      CANDIDATE.lastIndex = m.index + raw.length;
      const candidate = candidateName(raw, m.index, s.text, input, lowerWords, midCapitals);
      if (!candidate || denied) continue;
      const { name } = candidate;
      // "Owen Pratt:", "Competitors:": a label or a header, not a vendor spoken of.
      if (/^\s*[:\]]/.test(s.text.slice(m.index + raw.length, m.index + raw.length + 3))) continue;
      const key = name.toLowerCase();
      const at = m.index + raw.indexOf(name.split(' ')[0]!);
      const end = at + name.length;
      let reading = readMention(s, at, end, name, usedFor);
      // A word opening a sentence is a name only by what its own sentence says of it.
      // A word opening a sentence is a name only by what its own sentence says of it, or when the
      // sentence answers with a list of names ("Trellisoft and Quarrydesk, mostly.").
      if (
        reading === null &&
        carried.length > 0 &&
        (!candidate.bare || LISTED_NEXT.test(s.text.slice(end, end + 40)))
      )
        reading = carried;
      let tally = tallies.get(key);
      if (!tally) {
        tally = {
          name,
          points: 0,
          beside: 0,
          negated: 0,
          contested: false,
          ownCompany: false,
          label: 'mentioned',
          labelRank: 99,
          evidence: s,
        };
        tallies.set(key, tally);
      }
      // A capitalised word opening the sentence ("Scheduling lives in X") is the vendor named
      // there only by a frame of its own, or when nothing else in the sentence is a name.
      if (reading !== 'own company') (!candidate.bare || Array.isArray(reading) ? named : opening).add(key);
      if (reading === 'own company') tally.ownCompany = true;
      else if (reading === 'beside') tally.beside++;
      else if (reading === 'negated') tally.negated++;
      else if (reading) score(tally, reading, s, s);
    }
    // "We use Hexwise. Their contract ends in January": a sentence that names no vendor speaks of
    // the one its speaker named just before through a pronoun.
    const before = previous;
    if (named.size === 0 && opening.size === 0 && !denied && before?.key && before.speaker === s.speaker) {
      const frame = anaphoricFrame(s.text);
      const tally = tallies.get(before.key);
      if (frame && tally) score(tally, [frame], s, before.sentence);
    }
    const spoken = named.size > 0 ? named : opening;
    previous = { key: spoken.size === 1 ? [...spoken][0]! : null, speaker: s.speaker, sentence: s };
  });
  // "ADP" and "ADP Workforce Now" are one vendor when it is also named alone: keep the short name.
  for (const [key, t] of tallies) {
    const space = key.indexOf(' ');
    const short = space > 0 ? tallies.get(key.slice(0, space)) : undefined;
    if (!short) continue;
    short.points += t.points;
    short.beside += t.beside;
    short.negated += t.negated;
    short.contested ||= t.contested;
    short.ownCompany ||= t.ownCompany;
    if (t.labelRank < short.labelRank)
      Object.assign(short, { label: t.label, labelRank: t.labelRank, evidence: t.evidence });
    tallies.delete(key);
  }
  const out: Competitor[] = [];
  for (const [key, t] of tallies) {
    if (input.found.has(key) || t.ownCompany || t.points < weights.threshold) continue;
    // Used beside the purchase and never said to be leaving or weighed against it: a tool kept.
    if (t.beside > 0 && !t.contested) continue;
    if (t.negated > 0 && t.label !== 'lost to') continue;
    out.push({ name: t.name, context: t.label, evidence: evidenceForSentence(t.evidence) });
  }
  return out;
}

/**
 * The vendor a candidate match names, or null when it is a person, a common word or shorthand;
 * `bare` when it is a capitalised word opening a sentence and nowhere else.
 */
function candidateName(
  raw: string,
  index: number,
  text: string,
  input: OpenCompetitorInput,
  lowerWords: ReadonlySet<string>,
  midCapitals: ReadonlySet<string>,
): { name: string; bare: boolean } | null {
  const name = cleanVendor(raw, input.excluded);
  if (!name) return null;
  const key = name.toLowerCase();
  const tokens = name.split(/\s+/);
  const first = tokens[0]!.toLowerCase();
  if (GREETINGS.test(first) || CALENDAR.test(name)) return null;
  // "the Denver office", "our Leeds plant": a place of the customer's, not a vendor.
  if (PLACE_AFTER.test(text.slice(index + raw.length, index + raw.length + 20))) return null;
  if (input.people.has(key) || input.people.has(first) || input.knownSystems?.has(key)) return null;
  if (SHORTHAND.test(name) || TITLE_SET.has(key) || tokens.some((t) => TITLE_SET.has(t.toLowerCase())))
    return null;
  // A plain capitalised word is a name only when the conversation never writes it in lower case
  // ("Canvas" the LMS, not "Pricing" opening a line) and, opening a sentence, when it is also
  // capitalised mid-sentence somewhere.
  if (tokens.length === 1 && /^\p{Lu}\p{Ll}+$/u.test(name)) {
    if (lowerWords.has(key)) return null;
    // "Mostly price", "Honestly", "Actualmente", "Estamos", "Queremos": an adverb, a gerund or a
    // verb of ours opening a sentence, in English or Spanish.
    if (/(?:ly|mente|amos|emos|imos|ando|iendo)$/.test(key) && !midCapitals.has(name)) return null;
    const opening = /^[^\p{L}0-9]*$/u.test(text.slice(0, index + raw.indexOf(name)));
    if (opening && !midCapitals.has(name))
      return STOPWORDS.has(key) || NOT_NAMES.has(key) ? null : { name, bare: true };
  }
  return { name, bare: false };
}

/** A mention's frames, most telling first, or why it does not count. */
type Reading = 'beside' | 'negated' | 'own company' | Frame[] | null;

/** How many words either side of a name a relation is read in. */
const RELATION_WORDS = 6;
/** Where the name stood in the words read around it. */
const NAME_MARK = ' \u2016 ';
const CJK_BREAK = /[，。；！？：]/u;
const PREPOSITION_END = /\b(?:at|to|with|from|off|on|into|of|for|con|de|desde|por|a|en)$/i;
/** Between a prepositional frame and the name: a determiner, "also", or other vendors of a list. */
const CLOSE_BEFORE =
  /^(?:\s+(?:the|a|an|also|both|either|maybe|like|and|or|\/|&|[\p{L}\p{N}.'’-]*[\p{Lu}\p{N}.][\p{L}\p{N}.'’-]*,?))*\s*$/u;
const OWN_STEP: Frame = { label: 'evaluating', strength: 'strong', re: OWN_STEP_AFTER };
/** A price of its own: the vendor is quoting against us. */
const QUOTED =
  /quot|pric|bid|offer|undercut|cotiz|oferta|presupuesto|precio|报价|开价|\bin (?:at|under|lower|higher|cheaper)/iu;
const OWN_QUOTE: Frame = { label: 'quoting against us', strength: 'strong', re: OWN_STEP_AFTER };
const REPLACED_LATER: Frame = { label: 'incumbent being replaced', strength: 'strong', re: /(?:)/ };
/** "(we integrate with it, not replacing it)": the replacement said of it is denied. */
const KEPT_LATER = /\b(?:not|never|no|n't|won't)\b[^.;]{0,20}\b(?:replac|leav|mov|get|switch|rip)/i;
const POSSESSIVE_NAME = /^['’]s\s+(\p{Lu}\p{Ll}+)(?![\p{L}'’])/u;
const OWN_CONTRACT: Frame = {
  label: 'incumbent',
  strength: 'strong',
  contests: true,
  re: OWN_CONTRACT_AFTER,
};
const PRICED: Frame = { label: 'compared', strength: 'weak', re: PRICE_AFTER };

function readMention(
  s: Sentence,
  at: number,
  end: number,
  name: string,
  usedFor: (name: string, s: Sentence) => UsedFor,
): Reading {
  const before = s.text.slice(Math.max(0, at - 100), at);
  if (AFFILIATED_BEFORE.test(before)) return 'own company';
  if (personsThing(s.text.slice(end, end + 40))) return null;
  if (workedThere(before) || fedByThePurchase(before)) return 'beside';
  const clause = clauseAround(s.text, at, end);
  const here = clause.indexOf(name);
  // Chinese clauses end at their own punctuation.
  const left =
    here < 0
      ? ''
      : clause
          .slice(Math.max(0, here - FRAME_REACH), here)
          .split(CJK_BREAK)
          .at(-1)!;
  const right =
    here < 0 ? '' : clause.slice(here + name.length, here + name.length + FRAME_REACH).split(CJK_BREAK)[0]!;
  const near = `${lastWords(left, RELATION_WORDS)}${NAME_MARK}${firstWords(right, RELATION_WORDS)}`.replace(
    /\bw\//gi,
    'with',
  );
  // Each test reads a bounded stretch: a sentence naming a vendor a thousand times costs its length.
  if (negatedBefore(s.text.slice(Math.max(0, at - 100), at)) || undoneAfter(s.text.slice(end, end + 200)))
    return 'negated';
  const frames: Frame[] = [];
  const step =
    OWN_STEP_AFTER.exec(right) ??
    OWN_STEP_BEFORE.exec(left) ??
    OWN_STEP_AFTER_OTHER.exec(right) ??
    OWN_STEP_BEFORE_OTHER.exec(left);
  if (step) frames.push(QUOTED.test(step[0]) ? OWN_QUOTE : OWN_STEP);
  if (OWN_CONTRACT_AFTER.test(right)) frames.push(OWN_CONTRACT);
  const mark = near.indexOf(NAME_MARK);
  for (const frame of RELATIONS) {
    const m = frame.re.exec(near);
    if (!m || NEGATED_FRAME.test(near.slice(0, m.index))) continue;
    // "talked to Fiona", "looking at X": a frame that ends in a preposition takes the name after it.
    if (
      PREPOSITION_END.test(m[0]) &&
      (m.index > mark || !CLOSE_BEFORE.test(near.slice(m.index + m[0].length, mark)))
    )
      continue;
    frames.push(frame);
  }
  if (PRICE_AFTER.test(right)) frames.push(PRICED);
  // "Yotpo is what our team uses today, and we'd replace it": the pain said of it further on.
  const later = s.text.slice(end, end + 120);
  if (replacementInQuestion('', later) && !KEPT_LATER.test(later)) frames.push(REPLACED_LATER);
  // "X is what our recruiters live in today, and our contract with them renews in March".
  if (anaphoricFrame(later) === OWN_CONTRACT) frames.push(OWN_CONTRACT);
  // Integrated with, signed in through, kept: beside the purchase unless weighed against it (a
  // contract running out does not outweigh "we'd sit alongside").
  const weighed = frames.some((f) => f.strength === 'strong' && CONTESTED.has(f.label));
  if (!weighed && (BESIDE.test(near) || INTEGRATED_LATER.test(later))) return 'beside';
  // A system the customer runs a job on (cloud, sign-in; payroll, ERP) is used beside us, unless
  // weighed against us or its contract is running out.
  const used = weighed ? null : usedFor(name, s);
  if (used === 'infrastructure' || (used === 'business system' && !frames.some(contests))) return 'beside';
  return frames.length > 0 ? frames : null;
}

/** "Their contract ends in January", "nobody wants to renew it": the vendor's contract, by pronoun. */
const ANAPHOR_CONTRACT =
  /\b(?:(?:(?:their|its|that|the) (?:contract|renewal|subscription|licen[cs]e|term)s?|(?:contract|renewal|subscription|licen[cs]e|agreement) with (?:it|them))\b[^.;]{0,40}?\b(?:renews?|ends?|expires?|is up|comes up|runs out|lapses?)|renew(?:ing)? (?:it|them)|(?:it|they) (?:renews?|expires?|(?:is|are) up for renewal))\b/i;
/** "We'd love to get rid of it", "we've outgrown them": the vendor is in question, by pronoun. */
const ANAPHOR_REPLACED =
  /\b(?:replac\w*|get(?:ting)? rid of|mov(?:e|ing) off(?: of)?|leav(?:e|ing)|switch(?:ing)? (?:away )?from|frustrated with|unhappy with|fed up with|sick of|tired of|outgr(?:own|owing|ew)) (?:it|them)\b/i;
/**
 * "They raised prices again": a vendor's price rise, or a customer's or a partner's: a hint that
 * needs another sign of the vendor's own (a weak frame).
 */
const ANAPHOR_PRICE_RISE =
  /\b(?:they|it) (?:raised|increased|hiked|doubled|put up) (?:\w+ )?(?:prices?|pricing|rates|fees)\b/i;
const PRICE_RISE: Frame = { label: 'incumbent', strength: 'weak', re: ANAPHOR_PRICE_RISE };
/** A negation within a few words before: "we'd never replace it", "no plans to renew it". */
const NEGATED_SHORTLY = /\b(?:not|never|no|n't|won't|without)\b[^.;]{0,20}$/i;

function anaphoricFrame(text: string): Frame | null {
  for (const [re, frame] of [
    [ANAPHOR_CONTRACT, OWN_CONTRACT],
    [ANAPHOR_REPLACED, REPLACED_LATER],
    [ANAPHOR_PRICE_RISE, PRICE_RISE],
  ] as const) {
    const m = re.exec(text);
    if (m && !NEGATED_SHORTLY.test(text.slice(Math.max(0, m.index - 40), m.index))) return frame;
  }
  return null;
}

/**
 * "..., and we'd want your tool to post into it", "... and that's not changing": the purchase
 * feeds it or the customer keeps it, later in the sentence.
 */
const INTEGRATED_LATER =
  /^[^.;]{0,100}?\b(?:(?:post|push|writ|feed|sync|integrat|connect|plug)\w* (?:\w+ )?(?:into|to|with) (?:it|them)|(?:isn't|is not|not|won't be|never) (?:changing|moving|going anywhere)|stays|is staying|staying put)\b/i;
/** What follows a name in a list of names, or ends the answer. */
const LISTED_NEXT = /^\s*(?:,|&|\/|\b(?:and|or|y|o)\b|[.!]?\s*$)/u;
/** How many lines after a "Competitors:" header its frame reaches. */
const HEADER_REACH = 4;

/**
 * The frames a question or a header asks about, when it names no vendor itself ("Who else is in
 * the running?", "Competition:"); its answer or its list names them.
 */
function leadingFrames(s: Sentence): Frame[] {
  const header = /:\s*$/.test(s.text);
  if (!s.isQuestion && !header) return [];
  CANDIDATE.lastIndex = 0;
  if (!header && s.text.length > QUESTION_REACH) return [];
  return RELATIONS.filter((f) => f.strength === 'strong' || header).filter((f) => f.re.test(s.text));
}
const QUESTION_REACH = 200;

function lastWords(text: string, n: number): string {
  const words = text.split(/\s+/);
  return words.slice(Math.max(0, words.length - n - 1)).join(' ');
}

function firstWords(text: string, n: number): string {
  return text
    .split(/\s+/)
    .slice(0, n + 1)
    .join(' ');
}
