import type { Evidence } from '../insights/schema.js';

/**
 * Finds a quote in the normalized source. Exact match first; failing that, a match that forgives
 * only typography (runs of whitespace, curly vs straight quotes, dash variants), which models and
 * copy-paste routinely change. Either way the returned quote is the source's own substring, so what
 * we emit is always verbatim.
 */
export function locateQuote(source: string, quote: string, fromIndex = 0): Evidence | null {
  const wanted = quote.trim();
  if (wanted.length === 0) return null;
  const exact = source.indexOf(wanted, fromIndex);
  if (exact >= 0) return { quote: wanted, start: exact, end: exact + wanted.length };
  return locateForgiving(source, wanted, fromIndex);
}

const TYPOGRAPHY: Record<string, string> = {
  '\u2018': "'",
  '\u2019': "'",
  '\u201C': '"',
  '\u201D': '"',
  '\u2013': '-',
  '\u2014': '-',
  '\u2026': '...',
};

function foldChar(ch: string): string {
  return TYPOGRAPHY[ch] ?? ch;
}

/** Folds typography and collapses whitespace, keeping for each folded char the source offset it came from. */
function fold(text: string, from = 0): { folded: string; origin: number[] } {
  let folded = '';
  const origin: number[] = [];
  let lastWasSpace = false;
  for (let i = from; i < text.length; i++) {
    const ch = text[i]!;
    if (/\s/.test(ch)) {
      if (!lastWasSpace) {
        folded += ' ';
        origin.push(i);
      }
      lastWasSpace = true;
      continue;
    }
    lastWasSpace = false;
    const f = foldChar(ch);
    for (const c of f) {
      folded += c;
      origin.push(i);
    }
  }
  return { folded, origin };
}

function locateForgiving(source: string, quote: string, fromIndex: number): Evidence | null {
  const q = fold(quote).folded.trim();
  if (q.length === 0) return null;
  const s = fold(source, fromIndex);
  const at = s.folded.indexOf(q);
  if (at < 0) return null;
  const start = s.origin[at]!;
  const end = s.origin[at + q.length - 1]! + 1;
  return { quote: source.slice(start, end), start, end };
}

/** True when the evidence's offsets point at exactly its quote in the source. */
export function isVerbatim(source: string, evidence: Evidence): boolean {
  return evidence.end > evidence.start && source.slice(evidence.start, evidence.end) === evidence.quote;
}
