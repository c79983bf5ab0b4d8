import { describe, expect, it } from 'vitest';
import { findMentions } from '../../../src/domain/extraction/finalize.js';

const CATALOG = [
  { name: 'Gong', aliases: ['Gong.io'] },
  { name: 'Salesloft', aliases: ['SalesLoft', 'Drift'] },
  { name: 'Clari', aliases: ['Clari Copilot', 'Wingman'] },
];

describe('findMentions', () => {
  it('finds each competitor the extractor named, by name or catalog alias, with offsets', () => {
    const text = 'We use Wingman today and Clari quoted us. Outreach too.';
    const mentions = findMentions(text, ['Clari'], CATALOG);
    expect(mentions.map((m) => [m.name, text.slice(m.start, m.end)])).toEqual([
      ['Clari', 'Wingman'],
      ['Clari', 'Clari'],
    ]);
  });

  it('finds a name typed in lower case in notes', () => {
    const text = 'looked at clari last week';
    expect(findMentions(text, ['Clari'], CATALOG).map((m) => text.slice(m.start, m.end))).toEqual(['clari']);
  });

  it('does not find a name inside another word', () => {
    expect(findMentions('The Gongfu team and Clarity Inc.', ['Gong', 'Clari'], CATALOG)).toEqual([]);
  });

  // Bug: the name and the alias that contains it both match, so "Gong.io" is two overlapping mentions
  // (and "Salesloft" twice, via its own name and the "SalesLoft" alias).
  it('reports one mention per place a competitor is named', () => {
    expect(findMentions('We record calls with Gong.io today.', ['Gong'], CATALOG)).toEqual([
      { name: 'Gong', start: 21, end: 28 },
    ]);
    expect(findMentions('Salesloft it is.', ['Salesloft'], CATALOG)).toHaveLength(1);
  });

  // Bug: aliases that are ordinary English words match in any case ("drift", "wingman").
  it('does not take an alias used as an ordinary lower-case word for a competitor', () => {
    expect(findMentions('Our forecast tends to drift at quarter end.', ['Salesloft'], CATALOG)).toEqual([]);
  });
});
