/**
 * Numbers said in words, as people say amounts: "eighty-five", "one hundred and fifty", "one point
 * two", "a couple hundred", "half a", "a quarter of a", and runs of two numbers ("thirty and forty",
 * "a hundred and a hundred and fifty"), which are the ends of a range, not one number.
 *
 * Written here rather than taken from a package: `words-to-numbers` (the one npm package for this)
 * depends on babel-runtime 6 and fuzzy matching, and reads a run like "thirty and forty" as one
 * number; `compromise` reads numbers only after tagging a whole text, too slow for the extractor's
 * budget of 150 ms per 10,000 words. What amounts need is small and bounded: these words, in order.
 */

const UNITS: Record<string, number> = {
  one: 1,
  two: 2,
  three: 3,
  four: 4,
  five: 5,
  six: 6,
  seven: 7,
  eight: 8,
  nine: 9,
  ten: 10,
  eleven: 11,
  twelve: 12,
  thirteen: 13,
  fourteen: 14,
  fifteen: 15,
  sixteen: 16,
  seventeen: 17,
  eighteen: 18,
  nineteen: 19,
};
const TENS: Record<string, number> = {
  twenty: 20,
  thirty: 30,
  forty: 40,
  fifty: 50,
  sixty: 60,
  seventy: 70,
  eighty: 80,
  ninety: 90,
};

/**
 * A run of number words, for a pattern. At most twelve words ("one hundred and twenty five thousand"
 * is six), so a run costs a bounded amount per word; "a half" is "a" then "half", never a word of its
 * own, or the engine could split "a half a half ..." two ways at each step and backtrack
 * exponentially. "of" and "an" come only inside "quarter of a(n)" and "couple of", for the same reason.
 */
export const SPELLED = String.raw`(?:(?:point|a|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety|hundred|and|half|quarters? of an?|couple(?: of)?)[\s-]*){1,12}`;

/** One number read from words, and where its words are in the text read. */
export interface SpelledNumber {
  value: number;
  start: number;
  end: number;
}

interface Word {
  w: string;
  start: number;
  end: number;
}

/** The number being read: its value so far, its first and last word, and whether it can grow. */
interface Reading {
  value: number;
  start: number;
  end: number;
  /** A fraction ("a quarter of a", "half a") takes no more words. */
  closed: boolean;
}

/** Whether a unit word ("five") may add to the number read so far: "twenty five", "one hundred and five". */
function takesUnit(value: number): boolean {
  const rest = value % 100;
  return rest === 0 || (rest >= 20 && rest % 10 === 0);
}

/**
 * Every number the words say, in order: "thirty and forty" is [30, 40], "one hundred and fifty" is
 * [150], "one point two" is [1.2]. A second number starts where a word cannot continue the one before
 * ("forty" after "thirty", "a" after "a hundred and"). Null when a word is not a number word.
 */
export function readSpelledNumbers(text: string): SpelledNumber[] | null {
  const words: Word[] = [...text.toLowerCase().matchAll(/[a-z]+/g)].map((m) => ({
    w: m[0],
    start: m.index,
    end: m.index + m[0].length,
  }));
  const out: SpelledNumber[] = [];
  let cur: Reading | null = null;
  const close = () => {
    if (cur && cur.value > 0) out.push({ value: cur.value, start: cur.start, end: cur.end });
    cur = null;
  };
  // The "a" of "a couple" or "a quarter" opens the number the next word reads.
  let lead: Word | null = null;
  const open = (word: Word, value: number): Reading => {
    close();
    cur = { value, start: (lead ?? word).start, end: word.end, closed: false };
    lead = null;
    return cur;
  };
  for (let i = 0; i < words.length; i++) {
    const word = words[i]!;
    const next = words[i + 1]?.w;
    const r = cur as Reading | null;
    if (word.w === 'and') {
      // "one and a half": the half is added to the number before.
      if (r && !r.closed && next === 'a' && words[i + 2]?.w === 'half') {
        r.value += 0.5;
        r.end = words[i + 2]!.end;
        r.closed = true;
        i += 2;
      }
      continue;
    }
    if (word.w === 'a' || word.w === 'an') {
      if (next === 'couple' || next === 'quarter' || next === 'quarters') {
        lead = word;
        continue;
      }
      if (next === 'half') {
        open(word, 0.5).end = words[i + 1]!.end;
        cur!.closed = true;
        i++;
        continue;
      }
      open(word, 1);
      continue;
    }
    if (word.w === 'half') {
      if (r && !r.closed) return null;
      const reading = open(word, 0.5);
      reading.closed = true;
      if (next === 'a' || next === 'an') reading.end = words[++i]!.end;
      continue;
    }
    if (word.w === 'quarter' || word.w === 'quarters') {
      // "a quarter of a", "three quarters of a": a fraction of the scale word that follows.
      const base = r && !r.closed && r.value < 10 ? r : open(word, 1);
      base.value *= 0.25;
      base.end = word.end;
      base.closed = true;
      if (next === 'of') {
        i++;
        if (words[i + 1]?.w === 'a' || words[i + 1]?.w === 'an') i++;
        base.end = words[i]!.end;
      }
      continue;
    }
    if (word.w === 'couple') {
      const reading = open(word, 2);
      if (next === 'of') reading.end = words[++i]!.end;
      continue;
    }
    if (word.w === 'point') {
      // "one point four" is 1.4: digits after "point" are read one by one.
      if (!r || r.closed) return null;
      const digits: number[] = [];
      while (i + 1 < words.length) {
        const d = words[i + 1]!.w;
        const digit = d === 'zero' || d === 'oh' ? 0 : (UNITS[d] ?? NaN);
        if (Number.isNaN(digit) || digit > 9) break;
        digits.push(digit);
        r.end = words[++i]!.end;
      }
      if (digits.length === 0) return null;
      r.value = Number(`${Math.trunc(r.value)}.${digits.join('')}`);
      r.closed = true;
      continue;
    }
    if (word.w === 'hundred') {
      if (r && !r.closed && r.value % 100 !== 0) {
        r.value *= 100;
        r.end = word.end;
      } else open(word, 100);
      continue;
    }
    if (word.w in TENS) {
      if (r && !r.closed && r.value % 100 === 0) {
        r.value += TENS[word.w]!;
        r.end = word.end;
      } else open(word, TENS[word.w]!);
      continue;
    }
    if (word.w in UNITS) {
      if (r && !r.closed && takesUnit(r.value)) {
        r.value += UNITS[word.w]!;
        r.end = word.end;
      } else open(word, UNITS[word.w]!);
      continue;
    }
    return null;
  }
  close();
  return out;
}

/**
 * "eighty-five" → 85, "one hundred and fifty" → 150, "a couple hundred" → 200, "half a" → 0.5; of a
 * run of two ("forty and sixty"), the larger, the top of the range it states.
 */
export function parseSpelledNumber(text: string): number | null {
  const numbers = readSpelledNumbers(text);
  if (!numbers || numbers.length === 0) return null;
  return Math.max(...numbers.map((n) => n.value));
}
