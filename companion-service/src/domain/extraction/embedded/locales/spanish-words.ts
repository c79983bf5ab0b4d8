/**
 * A word's edge for Spanish: JavaScript's \b knows only ASCII letters, so "firmó" or "aprobó" never
 * end a word for it. This edge is between a letter or digit (any script) and anything else.
 */
export const WORD_EDGE = String.raw`(?:(?<![\p{L}\p{N}])(?=[\p{L}\p{N}])|(?<=[\p{L}\p{N}])(?![\p{L}\p{N}]))`;

/** A pattern written with \b as usual, its edges read as Spanish words' edges. */
export function spanishWords(source: string, flags: string): RegExp {
  return new RegExp(source.replace(/\\b/g, WORD_EDGE), flags);
}
