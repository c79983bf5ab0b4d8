/**
 * Spanish numbers said in words, as a dictated memo or a call transcript writes them: "ciento veinte
 * mil dólares", "entre cuarenta y cincuenta mil euros", "trescientos millones de pesos". Only the
 * part below a thousand is read here; "mil" and "millones" are the amount's scale (locale-money.ts).
 * "Cuarenta y cinco" is 45, but "cuarenta y cincuenta" is two numbers: "y" joins tens to units only.
 */

const UNITS: Record<string, number> = {
  un: 1,
  una: 1,
  uno: 1,
  dos: 2,
  tres: 3,
  cuatro: 4,
  cinco: 5,
  seis: 6,
  siete: 7,
  ocho: 8,
  nueve: 9,
};
const TEENS: Record<string, number> = {
  diez: 10,
  once: 11,
  doce: 12,
  trece: 13,
  catorce: 14,
  quince: 15,
  dieciséis: 16,
  dieciseis: 16,
  diecisiete: 17,
  dieciocho: 18,
  diecinueve: 19,
  veinte: 20,
  veintiún: 21,
  veintiun: 21,
  veintiuno: 21,
  veintiuna: 21,
  veintidós: 22,
  veintidos: 22,
  veintitrés: 23,
  veintitres: 23,
  veinticuatro: 24,
  veinticinco: 25,
  veintiséis: 26,
  veintiseis: 26,
  veintisiete: 27,
  veintiocho: 28,
  veintinueve: 29,
};
const TENS: Record<string, number> = {
  treinta: 30,
  cuarenta: 40,
  cincuenta: 50,
  sesenta: 60,
  setenta: 70,
  ochenta: 80,
  noventa: 90,
};
const HUNDREDS: Record<string, number> = {
  cien: 100,
  ciento: 100,
  doscientos: 200,
  doscientas: 200,
  trescientos: 300,
  trescientas: 300,
  cuatrocientos: 400,
  cuatrocientas: 400,
  quinientos: 500,
  quinientas: 500,
  seiscientos: 600,
  seiscientas: 600,
  setecientos: 700,
  setecientas: 700,
  ochocientos: 800,
  ochocientas: 800,
  novecientos: 900,
  novecientas: 900,
};

/** Longest first, so "veintiuno" is not read as "veinti" and "una" not as "un". */
const alternatives = (words: Record<string, number>) =>
  Object.keys(words)
    .sort((a, b) => b.length - a.length)
    .join('|');
const END = String.raw`(?![\p{L}])`;
const BELOW_HUNDRED = String.raw`(?:(?:${alternatives(TENS)})${END}(?:\s+y\s+(?:${alternatives(UNITS)})${END})?|(?:${alternatives(TEENS)})${END}|(?:${alternatives(UNITS)})${END})`;

/** A Spanish number below a thousand in words, as a regular expression source (no groups). */
export const SPANISH_SPELLED = String.raw`(?<![\p{L}])(?:(?:${alternatives(HUNDREDS)})${END}(?:\s+${BELOW_HUNDRED})?|${BELOW_HUNDRED})`;

/** The value of a number SPANISH_SPELLED matched: "ciento veinte" is 120, "cuarenta y cinco" 45. */
export function parseSpanishNumber(written: string): number | null {
  let total = 0;
  for (const word of written.toLowerCase().split(/\s+/)) {
    if (word === 'y') continue;
    const value = HUNDREDS[word] ?? TENS[word] ?? TEENS[word] ?? UNITS[word];
    if (value === undefined) return null;
    total += value;
  }
  return total > 0 ? total : null;
}
