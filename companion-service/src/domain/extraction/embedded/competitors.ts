import type { Competitor } from '../../insights/schema.js';
import type { Sentence } from '../../text/sentences.js';
import type { CompetitorCatalog } from '../competitor-catalog.js';
import { evidenceForSentence } from '../../stages/signal-matcher.js';
import { escapeRegExp } from '../finalize.js';
import { NOT_NAMES, PERSONAL_RELATIONS } from './lexicon.js';
import { cleanVendor } from './competitor-names.js';
import { findOpenCompetitors, isShorthand, type OpenCompetitorInput } from './competitor-evidence.js';
import { NAME_END, NAME_START } from '../../text/word-boundary.js';
import {
  AFTER_VENDOR,
  CONTEXTS,
  JOIN_REACH,
  JOINED_BEFORE,
  LOST_TO,
  PAIRED_BEFORE,
} from './competitor-cues.js';
import {
  askedAndDenied,
  clauseAround,
  fedByThePurchase,
  keptAlongside,
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
 * Competitors: every vendor in the Competitor__mdt catalog that is mentioned, plus any vendor
 * spoken of the way competitors are (competitor-cues.ts): evaluated, compared, switched from, chosen
 * instead, quoting against us, or listed as the competition in notes; less those the customer only
 * keeps, feeds, worked at or was asked about (competitor-vetoes.ts).
 */
/** Standings that put a vendor against us whatever job it does for the customer today. */
const CONTESTED: ReadonlySet<string> = new Set([
  'incumbent being replaced',
  LOST_TO,
  'quoting against us',
  'compared',
  'evaluating',
  'alternative',
  'listed as competition',
]);
const PAST_CHOICE =
  /^[^.;]{0,40}?\b(?:last time|(?:\w+ )?years? ago|back in (?:19|20)\d\d|in (?:19|20)\d\d|originally|at the time)\b/i;
/** "our competitors", "my biggest competitor": the speaker's own rivals. */
const OWN_RIVALS_BEFORE = /\b(?:our|my)\s+(?:[\w-]+\s+)?$/i;
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
  /** Open detection beyond the cues (competitor-evidence.ts): who is a person, who speaks for us, the weights. */
  open?: Pick<OpenCompetitorInput, 'people' | 'saidBySeller' | 'weights'>;
}

export function extractCompetitors(input: CompetitorInput): Competitor[] {
  const found = new Map<string, Competitor>();
  const canonical = buildCanonical(input.catalog);
  const catalogRes = catalogPatterns(input.catalog);
  // Once per vendor and sentence: a sentence naming one vendor a thousand times is read once for it.
  const alongside = new Map<string, UsedFor>();
  const usedAlongsideIn = (vendor: string, s: Sentence) => {
    const key = `${s.start}\u0000${vendor}`;
    let used = alongside.get(key);
    if (used === undefined) alongside.set(key, (used = usedAlongside(vendor, s.text)));
    return used;
  };
  /** A vendor named at s.text[at, at + name.length) with a cue: kept unless something says otherwise. */
  const standing = (name: string, at: number, given: string, s: Sentence, cuePreceding: string) => {
    let label = given;
    const cleaned = cleanVendor(name, input.excluded);
    // Sales ops list the vendors customers use alongside us (Non_Competitors__c): never competitors.
    if (!cleaned || input.knownSystems?.has(cleaned.toLowerCase()) || isShorthand(cleaned)) return;
    if (negatedBefore(cuePreceding)) {
      // "We have not chosen Workday yet" still has Workday in the running; "not looking at" and
      // "we'd never go with" do not.
      if (label !== LOST_TO || /\b(?:never|won't|wouldn't|will not|would not)\b/i.test(cuePreceding)) return;
      label = 'evaluating';
    }
    // Our rep setting us against a vendor, or naming "the competition", is our pitch, not the
    // customer's field: left to open detection, which counts our side's mentions at their share.
    if ((label === 'compared' || label === 'alternative') && saidByUs(s)) return;
    const before = s.text.slice(Math.max(0, at - 100), at);
    if (workedThere(before)) return;
    if (label !== LOST_TO && fedByThePurchase(before)) return;
    const clause = clauseAround(s.text, at, at + name.length);
    // A tool kept alongside us is not competing with us.
    if (label.startsWith('incumbent') && keptAlongside(clause)) return;
    // What the customer runs on or signs in with (cloud, identity, mail) is used alongside us; a
    // business system too, unless the customer speaks of leaving it or is choosing against it.
    const used = usedAlongsideIn(cleaned, s);
    if (used === 'infrastructure') return;
    const after = s.text.slice(at + name.length, at + name.length + 160);
    if (used === 'business system' && !CONTESTED.has(label) && !replacementInQuestion(clause, after)) return;
    const key = canonical.get(cleaned.toLowerCase()) ?? cleaned;
    if (!found.has(key.toLowerCase()))
      found.set(key.toLowerCase(), { name: key, context: label, evidence: evidenceForSentence(s) });
  };
  const saidByUs = (s: Sentence) => input.open?.saidBySeller(s) === true && !reportsCustomer(s.text);
  const note: Note = (list, given, s, { listAt, following, cuePreceding }) => {
    // "Our competitors X and Y raised prices": the customer's own rivals, unless our rep says it.
    if (given === 'alternative' && OWN_RIVALS_BEFORE.test(cuePreceding) && !saidByUs(s)) return;
    // "we went with Deputy three years ago": the vendor chosen last time is the one they are on.
    const label = given === LOST_TO && PAST_CHOICE.test(following) ? 'incumbent' : given;
    if (label === given && undoneAfter(following, { startedThen: label === 'incumbent' })) return;
    const listed = splitList(list, listAt);
    if (label === 'incumbent' && listed.some((n) => input.knownSystems?.has(n.name.toLowerCase()))) return;
    if (personsThing(following)) return;
    for (const { name, at } of listed) standing(name, at, label, s, cuePreceding);
  };
  input.sentences.forEach((s, index) => {
    // A question answered with a no is no evidence that the vendor is in the running.
    const asked = askedAndDenied(input.sentences, index);
    if (!asked) readCues(s, note);
    // Read once per sentence, not once per vendor named in it.
    const personal = PERSONAL_RELATIONS.test(s.text);
    for (const re of catalogRes) {
      if (!re) continue;
      re.lastIndex = 0;
      let c: RegExpExecArray | null;
      while ((c = re.exec(s.text))) {
        const name = canonical.get(c[0].toLowerCase())!;
        if (found.has(name.toLowerCase()) || asked || personal) continue;
        if (negatedBefore(s.text.slice(0, c.index))) continue;
        // "Wei Gong (Dir. IT)": a person's surname that is also a vendor's name.
        if (surnameOfPerson(s.text, c.index, c[0], input.excluded)) continue;
        // A catalogued name alone is presence only when nothing says it is not competing.
        const before = s.text.slice(Math.max(0, c.index - 100), c.index);
        if (workedThere(before) || fedByThePurchase(before) || usedAlongsideIn(name, s)) continue;
        const clause = clauseAround(s.text, c.index, c.index + c[0].length);
        if (keptAlongside(clause)) continue;
        if (undoneAfter(s.text.slice(c.index + c[0].length))) continue;
        found.set(name.toLowerCase(), { name, context: 'mentioned', evidence: evidenceForSentence(s) });
      }
    }
  });
  if (input.open) {
    const more = findOpenCompetitors({
      ...input.open,
      sentences: input.sentences,
      excluded: input.excluded,
      knownSystems: input.knownSystems,
      found: new Set(found.keys()),
    });
    for (const c of more) found.set(c.name.toLowerCase(), c);
  }
  // "Intacct quoted 71k" and "Sage Intacct is the frontrunner" are one vendor: keep the full name.
  const all = [...found.values()];
  return all.filter(
    (c) =>
      !all.some(
        (o) =>
          o !== c &&
          o.name.length > c.name.length &&
          new RegExp(`(?:^|\\s)${escapeRegExp(c.name)}(?:$|\\s|['’]s\\s)`).test(o.name),
      ),
  );
}

/** Where a cue's list of vendors stands: its start, the text after the cue, the text before it. */
interface CueSpan {
  listAt: number;
  following: string;
  cuePreceding: string;
}
type Note = (list: string, label: string, s: Sentence, span: CueSpan) => void;

/** Every cue in the sentence: vendors named after a cue, then vendors named before one. */
function readCues(s: Sentence, note: Note): void {
  for (const { label, re, pairs, gate } of CONTEXTS) {
    if (gate && !gate.test(s.text)) continue;
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
      const end = m.index + m[0].length;
      // The list closes the match: it starts where its own length ends.
      const following = s.text.slice(end);
      note(m[1]!, label, s, {
        listAt: end - m[1]!.length,
        following,
        cuePreceding: s.text.slice(0, m.index),
      });
      if (!pairs) continue;
      // "Samsara or Motive", "Samsara vs Motive": the vendor before the conjunction is compared too.
      const from = Math.max(0, m.index - JOIN_REACH);
      const paired = PAIRED_BEFORE.exec(s.text.slice(from, m.index));
      if (paired)
        note(paired[1]!, label, s, {
          listAt: from + paired.index,
          following,
          cuePreceding: s.text.slice(0, from + paired.index),
        });
    }
  }
  for (const { label, re, gate } of AFTER_VENDOR) {
    if (gate && !gate.test(s.text)) continue;
    re.lastIndex = 0;
    let m: RegExpExecArray | null;
    while ((m = re.exec(s.text))) {
      const following = s.text.slice(m.index + m[0].length);
      note(m[1]!, label, s, {
        listAt: m.index + m[0].indexOf(m[1]!),
        following,
        cuePreceding: s.text.slice(0, m.index),
      });
      const from = Math.max(0, m.index - JOIN_REACH);
      const joined = JOINED_BEFORE.exec(s.text.slice(from, m.index));
      if (joined) {
        const at = from + joined.index;
        note(joined[1]!, label, s, { listAt: at, following, cuePreceding: s.text.slice(0, at) });
      }
    }
  }
}

/**
 * The catalog as patterns: names match in any case unless sales ops ask for their casing
 * (Match_Case__c: "Outreach" the vendor, not outreach the activity; "nCino" as written); aliases
 * only as written or in capitals ("drift" is not Drift), and a cased entry's only as written.
 */
function catalogPatterns(catalog: CompetitorCatalog): (RegExp | null)[] {
  const longestFirst = (list: string[]) => list.sort((a, b) => b.length - a.length).map(escapeRegExp);
  const names = longestFirst(catalog.entries.filter((e) => !e.matchCase).map((e) => e.name));
  const written = longestFirst(
    catalog.entries.flatMap((e) =>
      e.matchCase ? [e.name, ...e.aliases] : e.aliases.flatMap((a) => [a, a.toUpperCase()]),
    ),
  );
  const catalogRe = (list: string[], flags: string) =>
    list.length > 0 ? new RegExp(`${NAME_START}(?:${list.join('|')})${NAME_END}`, flags) : null;
  return [catalogRe(names, 'giu'), catalogRe(written, 'gu')];
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

/** The vendors of a list ("Gong, Clari and Outreach"), each with where it stands in the sentence. */
function splitList(raw: string, at: number): { name: string; at: number }[] {
  const out: { name: string; at: number }[] = [];
  const separator = /\s*(?:,|\band\b|\bor\b|\by\b|\bvs\b\.?|\bversus\b|\/|&)\s*|\s+\+\s*/g;
  let from = 0;
  const take = (part: string, offset: number) => {
    const also = /^\s*(?:also\s+)?/i.exec(part)![0].length;
    const name = part.slice(also).trim();
    if (name) out.push({ name, at: at + offset + also });
  };
  for (let m = separator.exec(raw); m; m = separator.exec(raw)) {
    if (m[0].length === 0) {
      separator.lastIndex++;
      continue;
    }
    take(raw.slice(from, m.index), from);
    from = m.index + m[0].length;
  }
  take(raw.slice(from), from);
  return out;
}
