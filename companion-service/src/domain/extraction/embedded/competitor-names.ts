import { NOT_NAMES } from './lexicon.js';
import { DIGIT_LED } from './competitor-cues.js';

const DIGIT_NAME = new RegExp(`^(?:${DIGIT_LED})`, 'u');

/** Spreadsheets and mail are how work gets done before a purchase, not a vendor competing for it. */
const OFFICE_TOOLS = /^(?:excel|google sheets|sheets|spreadsheets?|word|powerpoint|outlook|gmail|email)$/i;
/** "Option A and Option B", "Plan 2": choices inside one offer, not vendors. */
const CHOICES = /^(?:option|plan|phase|tier|scenario|version|step|stage|level|package|bundle)\s+\S{1,2}$/i;
const OPENERS =
  /^(?:honestly|so|well|also|but|and|yeah|yes|ok|okay|frankly|basically|actually|plus|now|then|again|still|maybe|probably|obviously|clearly)$/i;
const PRONOUNS =
  /^(?:you|your|yours|them|us|it|its|their|our|his|her|my|this|that|one|another|someone|something|the|a|an)$/i;
const EDITIONS =
  /^(?:enterprise|professional|premium|pro|standard|basic|plus|starter|business|team|edition|tier|cloud|suite)$/i;

/**
 * What a vendor's name is once the words swept up with it are gone: a determiner, a possessive, a
 * sentence opener ("Honestly Gong"), an edition ("Enterprise"), a common word after it. Names that
 * are people, our own company, pronouns, office tools or options within one offer are none.
 */
export function cleanVendor(raw: string, excluded: Set<string>): string | null {
  const name = raw
    // "Our Zuora contract renews": a sentence-opening determiner is not part of the name.
    .replace(/^(?:the|a|an|our|their|your|my)\s+/i, '')
    .replace(/['’]s$/, '')
    .replace(/[.,;:]+$/, '')
    .trim();
  if (!name || PRONOUNS.test(name) || OFFICE_TOOLS.test(name) || CHOICES.test(name)) return null;
  // "I I think": the pronoun, stammered, never opens a vendor's name.
  if (/^I(?:\s|$)/.test(name)) return null;
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
  if (
    (/^\d/.test(name) && !DIGIT_NAME.test(name)) ||
    name.length < 2 ||
    (name.length === 2 && name !== name.toUpperCase())
  )
    return null;
  // A second token that is a common word is not part of the name ("Clari Monday" is unlikely).
  // A proper name that opens with a common word ("When I Work") is only a name as a whole.
  if (properName && NOT_NAMES.has(first)) return name;
  // In a proper name an edition is part of it ("Housecall Pro"), as is a short capitalised tail ("Hawk AI").
  // Past a second word of its own, a capitalised common word is the name's too ("Jira Service
  // Management"), where right after the head it is the sentence going on ("Clari Monday").
  const common = tokens.findIndex(
    (t, i) =>
      i > 0 &&
      !(properName && /^\p{Lu}{2,3}$/u.test(t)) &&
      !(properName && i > 1 && !NOT_NAMES.has(tokens[1]!.toLowerCase())) &&
      (NOT_NAMES.has(t.toLowerCase()) || (!properName && EDITIONS.test(t))),
  );
  if (common > 0) return tokens.slice(0, common).join(' ');
  return name;
}
