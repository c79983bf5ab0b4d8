/**
 * The normalized source every offset points into. Deliberately light: only what editors and mail
 * clients vary without meaning to (BOM, line endings, non-breaking spaces, tabs), so a quote from
 * the normalized text is still found in the file the rep gave us.
 */
export function normalizeText(raw: string): string {
  return raw
    .replace(/^\uFEFF/, '')
    .replace(/\r\n?/g, '\n')
    .replace(/[\u00A0\u2007\u202F]/g, ' ')
    .replace(/\t/g, ' ');
}

/** Offsets of the first and last non-space characters of text[start, end). */
export function trimRange(text: string, start: number, end: number): [number, number] {
  let s = start;
  let e = end;
  while (s < e && /\s/.test(text[s]!)) s++;
  while (e > s && /\s/.test(text[e - 1]!)) e--;
  return [s, e];
}
