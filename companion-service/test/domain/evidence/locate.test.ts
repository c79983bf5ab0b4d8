import { describe, expect, it } from 'vitest';
import { isVerbatim, locateQuote } from '../../../src/domain/evidence/locate.js';

describe('locateQuote', () => {
  it('finds an exact quote with its offsets', () => {
    const source = 'Dana: Our approved budget is 75k for year one.';
    expect(locateQuote(source, 'approved budget is 75k')).toEqual({
      quote: 'approved budget is 75k',
      start: 10,
      end: 32,
    });
  });

  it('ignores whitespace around the quote', () => {
    expect(locateQuote('x  y z', '  y z ')).toEqual({ quote: 'y z', start: 3, end: 6 });
  });

  it("forgives curly quotes, dashes and ellipses but returns the source's own characters", () => {
    const source = 'He said “we’re ready” — pending legal… probably.';
    const found = locateQuote(source, '"we\'re ready" - pending legal... probably');
    expect(found).toEqual({ quote: '“we’re ready” — pending legal… probably', start: 8, end: 47 });
    expect(isVerbatim(source, found!)).toBe(true);
  });

  it('forgives straight typography in the source when the quote is curly', () => {
    const source = "We're at 50k -- firm.";
    expect(locateQuote(source, 'We’re at 50k -- firm')?.quote).toBe("We're at 50k -- firm");
  });

  it('forgives runs of whitespace and line breaks', () => {
    const source = 'Budget   is\n 50k for now.';
    expect(locateQuote(source, 'Budget is 50k')).toEqual({ quote: 'Budget   is\n 50k', start: 0, end: 16 });
  });

  it('does not forgive different words, letter case or missing punctuation', () => {
    const source = 'We signed the contract yesterday.';
    expect(locateQuote(source, 'We signed the agreement')).toBeNull();
    expect(locateQuote(source, 'we signed the contract')).toBeNull();
    expect(locateQuote('Budget is 50,000.', 'Budget is 50000')).toBeNull();
    expect(locateQuote(source, '   ')).toBeNull();
  });

  it('searches from an offset to find a later occurrence', () => {
    const source = 'Yes. We agreed. Yes.';
    expect(locateQuote(source, 'Yes', 1)).toEqual({ quote: 'Yes', start: 16, end: 19 });
    expect(locateQuote('“a” and “a”', '"a"', 1)).toEqual({ quote: '“a”', start: 8, end: 11 });
  });
});

describe('isVerbatim', () => {
  it('is true only when the offsets point at exactly the quote', () => {
    const source = 'We signed the contract.';
    expect(isVerbatim(source, { quote: 'signed', start: 3, end: 9 })).toBe(true);
    expect(isVerbatim(source, { quote: 'signed', start: 4, end: 10 })).toBe(false);
    expect(isVerbatim(source, { quote: '', start: 3, end: 3 })).toBe(false);
  });
});
