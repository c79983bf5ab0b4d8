import { BRANDS, NOT_NAMES, TITLE_WORDS } from './lexicon.js';

/** Person names and job titles as they appear in sales talk. */

// A capital then a lower-case letter: "I'm" and "AI" are not names, "O'Brien" and "McKay" are.
const NAME_TOKEN = String.raw`(?:Mc|Mac|O['’])?\p{Lu}\p{Ll}[\p{Ll}'’]*(?:-\p{Lu}?[\p{Ll}]+)?`;
/** One to three capitalized tokens, optionally with a middle initial ("Dana K. Whitfield"). */
/** Particles inside a name: "Joost van der Berg", "María de la Cruz", "Ahmed bin Rashid". */
const PARTICLE = String.raw`(?:van|von|der|den|de|del|della|da|di|du|la|le|bin|binti|al|el|ter|ten|dos|das)`;
export const NAME = String.raw`${NAME_TOKEN}(?:\s+(?:\p{Lu}\.\s+|${PARTICLE}\s+){0,2}${NAME_TOKEN}){0,2}`;
const PARTICLES = new Set([
  'van',
  'von',
  'der',
  'den',
  'de',
  'del',
  'della',
  'da',
  'di',
  'du',
  'la',
  'le',
  'bin',
  'binti',
  'al',
  'el',
  'ter',
  'ten',
  'dos',
  'das',
]);
const HONORIFIC = /^(?:(?:Dr|Mr|Mrs|Ms|Mx|Prof|Sir|Dame|Councillor|Cllr|Rev|Hon|Judge|Capt|Col|Sgt)\.?\s+)+/;

/** "Dr. Emeka Obi" is Emeka Obi: titles of address are not part of the name. */
export function withoutHonorific(name: string): string {
  return name.replace(HONORIFIC, '');
}

const TITLE_WORD_RE = new RegExp(
  String.raw`(?:^|[\s(,/-])(?:${TITLE_WORDS.map((w) => w.replace(/[-/\\^$*+?.()|[\]{}]/g, '\\$&')).join('|')})(?=$|[\s,)/.-])`,
  'i',
);

export function hasTitleWord(text: string): boolean {
  return TITLE_WORD_RE.test(text);
}

/** A plausible person name: each token capitalized and none of them a common word, team or title. */
export function isPlausibleName(name: string, excluded: Set<string>): boolean {
  const tokens = name.split(/\s+/).filter((t) => !/^\p{Lu}\.$/u.test(t) && !PARTICLES.has(t));
  if (tokens.length === 0 || tokens.length > 3) return false;
  if (excluded.has(name.toLowerCase())) return false;
  // Surnames may be common words (Jordan Price, Grace Hall); only a first name must not be one.
  const first = tokens[0]!.toLowerCase().replace(/['’]s$/, '');
  if (NOT_NAMES.has(first) || BRANDS.has(first) || excluded.has(first) || first.length < 2) return false;
  // Adverbs and participles that start sentences ("Budget-wise,", "Honestly,", "Looking") are not names.
  if (tokens.length === 1 && /(?:wise|ly|ing|ed)$/.test(first)) return false;
  for (const t of tokens.slice(1))
    if (t.length < 2 || /^(of|and|the|for|at|in|on|to)$/i.test(t)) return false;
  return !hasTitleWord(name) || (tokens.length > 1 && !tokens.every((t) => hasTitleWord(t)));
}

/** Trims a captured name at the first token that is not a name ("Maria Ortiz Said" → "Maria Ortiz"). */
export function cleanName(raw: string, excluded: Set<string>): string | null {
  const tokens = raw
    .trim()
    .replace(/['’]s$/, '')
    .split(/\s+/);
  const kept: string[] = [];
  for (const t of tokens) {
    const lower = t.toLowerCase();
    if (kept.length === 0 && (NOT_NAMES.has(lower) || excluded.has(lower))) break;
    if (kept.length > 0 && (hasTitleWord(t) || /^(?:said|says|will|and|from|at|is|was|has|who|to)$/i.test(t)))
      break;
    kept.push(t);
  }
  const name = kept.join(' ');
  return name && isPlausibleName(name, excluded) ? name : null;
}

/** "VP of Operations at Fabrikam" → title "VP of Operations", company "Fabrikam". */
export function splitTitle(raw: string): { title: string | null; company: string | null } {
  const text = raw.trim().replace(/[.;]+$/, '');
  const at = /^(.*?)\s+(?:at|@|with|from)\s+(\p{Lu}[\w&.'’-]*(?:\s+\p{Lu}[\w&.'’-]*){0,3})$/u.exec(text);
  const title = (at ? at[1]! : text).trim();
  const company = at ? at[2]!.trim() : null;
  if (!title || title.split(/\s+/).length > 7 || !hasTitleWord(title)) return { title: null, company };
  return { title, company };
}
