import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { EmbeddedExtractor } from '../../../../src/domain/extraction/embedded/embedded-extractor.js';
import { parseConversation } from '../../../../src/domain/source/detect.js';
import { HOSTILE_PATTERNS, hostileText, type HostilePattern } from '../../../support/hostile-texts.js';
import { MEETING_DATE, rules } from './embedded-support.js';

/**
 * Every rule of the embedded extractor costs time in proportion to the text: ten times the text may
 * take at most twice ten times as long (the bound), for texts built to make regexes
 * backtrack and rules rescan. The money rules once took 12.7 s for 60 KB; a quadratic rule takes
 * about a hundred times as long for 180 KB as for 18 KB, far beyond the bound.
 */

const SMALL = 18_000;
const LARGE = 180_000;
/**
 * Below this an 18 KB extraction is timed mostly by the garbage collector and the other processes
 * on the machine, not by the rules: the bound is never tighter than 20 × this.
 */
const NOISE_FLOOR_MS = 50;

const extractor = new EmbeddedExtractor();

async function extractionMs(text: string): Promise<number> {
  const context = { currentStage: null, meetingDate: MEETING_DATE, rules: await rules() };
  const started = performance.now();
  await extractor.extract(parseConversation(text), context);
  return performance.now() - started;
}

async function growth(pattern: HostilePattern): Promise<{ small: number; large: number; bound: number }> {
  await extractionMs(hostileText(pattern, SMALL));
  const small = Math.min(
    await extractionMs(hostileText(pattern, SMALL)),
    await extractionMs(hostileText(pattern, SMALL)),
  );
  const bound = 2 * 10 * Math.max(small, NOISE_FLOOR_MS);
  // Measured again only when over the bound: a pause of the machine (GC, another process) is not the
  // regex's doing, while a super-linear rule is over the bound every time.
  let large = await extractionMs(hostileText(pattern, LARGE));
  if (large >= bound) large = Math.min(large, await extractionMs(hostileText(pattern, LARGE)));
  return { small, large, bound };
}

/** Pieces that have each made one rule or another backtrack or rescan. */
const PIECES = [
  '1',
  '0',
  '123',
  ',',
  '.',
  ',000',
  '.000',
  '$',
  '€',
  'k',
  ' thousand',
  ' a',
  ' half',
  ' one',
  ' hundred',
  ' and',
  ' budget',
  ' Dana',
  ' Lee',
  ' said',
  ' will send',
  ' demo',
  ' works',
  ' not',
  ' Gong',
  ' end of',
  ' Mr.',
  ' my brother',
  '"',
  '(',
  ' - ',
  '; ',
  '?',
  '\n',
  'Dana: ',
  ' x',
  ' thirty',
  ' quarter of a',
  ' a seat',
  ' seats',
  ' we can do 90',
  ' between',
  ' to',
  ' mil',
  '万',
  '到',
];

describe('embedded extraction grows linearly with the text', () => {
  for (const pattern of HOSTILE_PATTERNS) {
    if (!pattern.unit.trim()) continue;
    it(`${pattern.name}: 180 KB within twice ten times 18 KB`, async () => {
      const { small, large, bound } = await growth(pattern);
      expect(large, `18 KB took ${small.toFixed(0)} ms, 180 KB ${large.toFixed(0)} ms`).toBeLessThan(bound);
    });
  }

  it('holds for generated patterns too', { timeout: 120_000 }, async () => {
    await fc.assert(
      fc.asyncProperty(
        fc
          .array(fc.constantFrom(...PIECES), { minLength: 1, maxLength: 10 })
          .map((pieces) => pieces.join('')),
        async (unit) => {
          fc.pre(unit.trim().length > 0);
          const { small, large, bound } = await growth({ name: 'generated', unit: `${unit} ` });
          expect(
            large,
            `"${unit}": 18 KB took ${small.toFixed(0)} ms, 180 KB ${large.toFixed(0)} ms`,
          ).toBeLessThan(bound);
        },
      ),
      { numRuns: 8, seed: Number(process.env.FC_SEED ?? Date.now() % 1_000_000) },
    );
  });
});
