import { NOT_NAMES } from './lexicon.js';
import { splitTitle } from './names.js';

const POSSESSIVE = /\b(our|their|your|my|his|her|the customer's|the)\s+/gi;
const CAPITALIZED = /^(?:Mc|Mac|O')?\p{Lu}[\p{Ll}'’]+(?:-\p{Lu}?\p{Ll}+)?$/u;

/**
 * "our CFO, Maria Ortiz", "their VP of Sales Tom Becker", "my boss Dana": a title of one to five
 * words, then a name. Tried at every split, because a regex would settle for "VP of" + "Sales".
 */
export function possessiveTitleNames(text: string): { who: string; title: string | null; name: string }[] {
  const out: { who: string; title: string | null; name: string }[] = [];
  POSSESSIVE.lastIndex = 0;
  let m: RegExpExecArray | null;
  while ((m = POSSESSIVE.exec(text))) {
    const rest = text.slice(m.index + m[0].length, m.index + m[0].length + 90);
    const words = rest.split(/\s+/).slice(0, 9);
    for (let k = 1; k <= 5 && k < words.length; k++) {
      const titleWords = words.slice(0, k);
      if (titleWords.slice(0, -1).some((w) => /[,.;:!?]$/.test(w))) break;
      const title = titleWords.join(' ').replace(/,$/, '');
      const nameWords: string[] = [];
      for (const w of words.slice(k)) {
        const bare = w.replace(/[,.;:!?)]+$/, '');
        if (!CAPITALIZED.test(bare)) break;
        nameWords.push(bare);
        if (bare !== w || nameWords.length === 3) break;
      }
      if (nameWords.length === 0 || NOT_NAMES.has(nameWords[0]!.toLowerCase())) continue;
      if (/\b(?:of|for|and|at|in|the)$/i.test(title)) continue;
      const boss = /^(?:boss|manager|champion|contact|sponsor|counterpart)$/i.test(title);
      const parsed = splitTitle(title).title;
      if (!parsed && !boss) continue;
      out.push({ who: m[1]!, title: parsed ?? null, name: nameWords.join(' ') });
      break;
    }
  }
  return out;
}
