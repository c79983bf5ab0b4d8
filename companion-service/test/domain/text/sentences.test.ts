import { describe, expect, it } from 'vitest';
import { parseConversation } from '../../../src/domain/source/detect.js';
import { splitSentences, tokenize } from '../../../src/domain/text/sentences.js';

function sentences(raw: string) {
  const c = parseConversation(raw);
  const out = splitSentences(c);
  for (const s of out) expect(c.text.slice(s.start, s.end)).toBe(s.text);
  return out;
}

const texts = (raw: string) => sentences(raw).map((s) => s.text);

describe('splitSentences', () => {
  it('splits at sentence ends and keeps offsets into the source', () => {
    expect(texts('We reviewed pricing. Legal is next! Any concerns? None.')).toEqual([
      'We reviewed pricing.',
      'Legal is next!',
      'Any concerns?',
      'None.',
    ]);
  });

  it('does not split after titles and abbreviations that never end a sentence', () => {
    expect(texts('Mr. Chen joined the call. We need approx. 50 seats. Pricing vs. Clari is close.')).toEqual([
      'Mr. Chen joined the call.',
      'We need approx. 50 seats.',
      'Pricing vs. Clari is close.',
    ]);
    expect(texts('We met Dr. Patel at 3 p.m. today, e.g. after lunch.')).toEqual([
      'We met Dr. Patel at 3 p.m. today, e.g. after lunch.',
    ]);
  });

  it('keeps decimals and versions inside a sentence', () => {
    expect(texts('The budget is $1.5M for this year. We run v2.0 today.')).toEqual([
      'The budget is $1.5M for this year.',
      'We run v2.0 today.',
    ]);
  });

  it('ends a sentence after an amount with a unit ("50k.", "$3.5M.")', () => {
    expect(texts('Pricing is approx. $40k vs. Clari at 35k. Timeline is Q3.')).toEqual([
      'Pricing is approx. $40k vs. Clari at 35k.',
      'Timeline is Q3.',
    ]);
    expect(texts('It costs $3.5M. Are you offering a pilot program?')).toEqual([
      'It costs $3.5M.',
      'Are you offering a pilot program?',
    ]);
  });

  it('ends a sentence after "a.m." or "Inc." when a capitalised word follows', () => {
    expect(texts('The call is at 10 a.m. Tomorrow we meet Sam.')).toEqual([
      'The call is at 10 a.m.',
      'Tomorrow we meet Sam.',
    ]);
    expect(texts('We signed with Acme Inc. They start Monday.')).toEqual([
      'We signed with Acme Inc.',
      'They start Monday.',
    ]);
  });

  it('keeps an initial inside a name', () => {
    expect(texts('Dana J. Lee is the CFO.')).toEqual(['Dana J. Lee is the CFO.']);
  });

  it('ends a sentence after a word that ends in a letter outside ASCII, not as if it were an initial', () => {
    expect(texts('El comité aprobó el presupuesto de este año. Vuestra propuesta queda por encima.')).toEqual(
      ['El comité aprobó el presupuesto de este año.', 'Vuestra propuesta queda por encima.'],
    );
  });

  it('strips bullets and list numbers, and never makes a list number a sentence', () => {
    expect(
      texts(
        '- Send proposal by Friday\n* Loop in legal\n• Book the demo\n1. Confirm seats\n2) Ask about SSO\n',
      ),
    ).toEqual([
      'Send proposal by Friday',
      'Loop in legal',
      'Book the demo',
      'Confirm seats',
      'Ask about SSO',
    ]);
  });

  it('splits shorthand notes at semicolons', () => {
    expect(texts('budget 50k; decision by May')).toEqual(['budget 50k;', 'decision by May']);
  });

  it('flags questions, including ones closed by a quote mark', () => {
    const out = sentences('Is that OK? Yes. He asked "is it signed?" Really?!');
    expect(out.map((s) => [s.text, s.isQuestion])).toEqual([
      ['Is that OK?', true],
      ['Yes.', false],
      ['He asked "is it signed?"', true],
      ['Really?!', true],
    ]);
  });

  it('keeps the speaker of each sentence and skips quoted email replies', () => {
    expect(
      sentences('Dana: We want a pilot. It starts Monday.\nSam: Great.\nDana: Thanks.\n').map((s) => [
        s.speaker,
        s.text,
      ]),
    ).toEqual([
      ['Dana', 'We want a pilot.'],
      ['Dana', 'It starts Monday.'],
      ['Sam', 'Great.'],
      ['Dana', 'Thanks.'],
    ]);
    const email = texts(
      'From: Dana <dana@acme.com>\nTo: sam@seller.io\nSubject: Re: x\n\nNot yet.\n\nOn Mon, Mar 9, 2026, Sam wrote:\n> Have you signed the contract?\n',
    );
    expect(email).toEqual(['Not yet.']);
  });
});

describe('tokenize', () => {
  it('lower-cases words, straightens apostrophes and drops sentence-final dots', () => {
    const [sentence] = sentences('We haven’t signed with Gong.io or Clari.');
    const tokens = tokenize(sentence!);
    expect(tokens.map((t) => t.text)).toEqual(['we', "haven't", 'signed', 'with', 'gong.io', 'or', 'clari']);
    for (const t of tokens)
      expect(
        sentence!.text
          .slice(t.start - sentence!.start, t.end - sentence!.start)
          .toLowerCase()
          .replace('’', "'"),
      ).toBe(t.text);
  });
});
