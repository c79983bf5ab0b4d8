import { UNDETERMINED } from '../../../source/language.js';
import type { Lexicon } from './lexicon.js';
import { SPANISH } from './lexicon-es.js';
import { CHINESE } from './lexicon-zh.js';

/** The languages the embedded extractor reads: English with its own rules, the others by lexicon. */
export const EMBEDDED_LANGUAGES = ['en', 'es', 'zh'] as const;

const LEXICONS: Record<string, Lexicon> = { es: SPANISH, zh: CHINESE };

/** The lexicon for a detected language ("zh-Hans" reads as "zh"); null for English and the rest. */
export function lexiconFor(language: string): Lexicon | null {
  if (language === UNDETERMINED) return null;
  return LEXICONS[language.split('-')[0]!.toLowerCase()] ?? null;
}

/** Every locale's words that deny or only imagine what follows, for the stage signals' vetoes. */
export const LOCALE_NEGATORS: readonly string[] = Object.values(LEXICONS).flatMap((l) => l.negators);
export const LOCALE_HYPOTHETICALS: readonly string[] = Object.values(LEXICONS).flatMap((l) => l.hypothetical);
