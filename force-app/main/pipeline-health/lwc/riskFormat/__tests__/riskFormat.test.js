import { riskLevel, trendText } from 'c/riskFormat';

describe('riskFormat', () => {
  it.each([
    [null, 'Not scored'],
    [0, 'Low'],
    [39, 'Low'],
    [40, 'Medium'],
    [69, 'Medium'],
    [70, 'High'],
    [100, 'High'],
  ])('reads a score of %p as %s', (score, label) => {
    expect(riskLevel(score).label).toBe(label);
  });

  it('puts the weekly change in words', () => {
    expect(trendText(12, 60)).toBe('Up 12 since last week');
    expect(trendText(-3, 60)).toBe('Down 3 since last week');
    expect(trendText(0, 60)).toBe('No change since last week');
    expect(trendText(null, null)).toBe('First week scored');
  });
});
