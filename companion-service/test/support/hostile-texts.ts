/**
 * Texts an attacker (or a broken dictation app) sends to make extraction slow: each is a short
 * pattern repeated to the size asked for, so the same pattern at 18 KB and 180 KB shows how the
 * time grows. Shared by the linearity property test and `npm run bench:hostile`.
 */
export interface HostilePattern {
  name: string;
  /** One repetition; repeated (and cut) to the size asked for. */
  unit: string;
  /** Put before the repetitions: a speaker label makes a transcript, nothing leaves notes. */
  head?: string;
}

export const HOSTILE_PATTERNS: HostilePattern[] = [
  { name: 'long run of digits', unit: '1234567890' },
  { name: 'digits then a letter', unit: '98765432109876543210x' },
  { name: 'one long number then a letter', unit: '7', head: '' },
  { name: 'dotted groups', unit: '.000', head: '1' },
  { name: 'comma groups', unit: ',000', head: '$1' },
  { name: 'currency without punctuation', unit: '$120k budget 45 thousand euros £50,000 approved ' },
  { name: 'grouped digits', unit: '1,000,000,000,000,000,000,' },
  { name: 'european digits', unit: '1.000.000.000.000.' },
  { name: 'spelled numbers', unit: 'one hundred and a half a half a couple of ' },
  { name: 'number words', unit: 'a ' },
  { name: 'many sentences with numbers', unit: 'Our budget is $120k for this project. ' },
  {
    name: 'no punctuation',
    unit: 'we can spend about eighty thousand dollars and Dana Lee will decide by May ',
  },
  { name: 'repeated names', unit: 'Dana Lee, VP of Sales at Acme, spoke with Sam Chen and Dana Lee ' },
  { name: 'capitalised words', unit: 'Alpha Beta Gamma Delta Epsilon Zeta Eta Theta ' },
  { name: 'abbreviations', unit: 'Mr. Dr. approx. vs. a. b. Inc. ' },
  { name: 'nested quotes', unit: '"\'"\'“‘«(' },
  { name: 'huge single line of words', unit: 'budget ' },
  { name: 'clause breaks and amounts', unit: ', $5k; but 7k - ' },
  { name: 'dates', unit: 'by May 5 next Friday 2026-03-10 in Q3 end of month ' },
  { name: 'speaker turns', unit: 'Dana: we have $80k\n', head: '' },
  { name: 'questions', unit: 'can you do $50k? ' },
  { name: 'whitespace', unit: '      \n\n   ' },
  { name: 'emails and urls', unit: 'dana.lee@acme.example http://a.b/c?d=1 ' },
  { name: 'next steps', unit: 'I will send the proposal by Friday and we will schedule a demo ' },
  { name: 'competitors', unit: 'Gong Clari Chorus Salesloft Outreach ' },
  { name: 'a competitor on every line', unit: '\n Gong ' },
  { name: 'hyphens and dashes', unit: '- -- — – ' },
  { name: 'spelled ranges', unit: 'between thirty and forty thousand to fifty a quarter of a ' },
  { name: 'prices per seat', unit: 'We budgeted $300 a seat for 120 seats, 120 users at $25 each. ' },
  { name: 'figures without a scale', unit: 'the $110K we can do 90 we could go to 85 ' },
  { name: 'Spanish ranges', unit: 'entre 30 y 40 mil euros de 5 a 7 mil ' },
  { name: 'Chinese ranges', unit: '预算30万到35万，30到35万 ' },
];

/** The pattern repeated to exactly `bytes` characters (all patterns are ASCII or close to it). */
export function hostileText(pattern: HostilePattern, bytes: number): string {
  const head = pattern.head ?? '';
  const body = pattern.unit.repeat(Math.ceil((bytes - head.length) / pattern.unit.length) + 1);
  // A trailing letter stops a number at its last digit, the case that made regexes backtrack.
  return (head + body).slice(0, bytes - 1) + 'x';
}
