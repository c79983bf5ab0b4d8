import { riskLevel, trendText } from 'c/riskFormat';

describe('riskFormat', () => {
  it.each([
    [null, 'Not scored', 'base'],
    [undefined, 'Not scored', 'base'],
    ['Low', 'Low', 'base-autocomplete'],
    ['Medium', 'Medium', 'warning'],
    ['High', 'High', 'expired'],
  ])('shows the level %p that Apex sent as %s', (level, label, variant) => {
    expect(riskLevel(level)).toEqual({ label, variant });
  });

  it('judges no score itself: the bands are the settings Apex reads', () => {
    expect(riskLevel(95).label).toBe('Not scored');
  });

  it('puts the weekly change in words', () => {
    expect(trendText(12, 60)).toBe('Up 12 since last week');
    expect(trendText(-3, 60)).toBe('Down 3 since last week');
    expect(trendText(0, 60)).toBe('No change since last week');
    expect(trendText(null, null)).toBe('First week scored');
  });
});
