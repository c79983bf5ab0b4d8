import { describe, expect, it } from 'vitest';
import { CappedLabels, OTHER_ORGS } from '../../../src/domain/tenancy/capped-labels.js';

describe('CappedLabels', () => {
  it('names the first orgs seen, counts every later one as other, and keeps a name once given', () => {
    const labels = new CappedLabels(2);
    expect(labels.label('00D5L0000000001AAA')).toBe('00D5L0000000001AAA');
    expect(labels.label('00D5L0000000002AAA')).toBe('00D5L0000000002AAA');
    expect(labels.label('00D5L0000000003AAA')).toBe(OTHER_ORGS);
    expect(labels.label('00D5L0000000001AAA')).toBe('00D5L0000000001AAA');
    expect(labels.label('00D5L0000000004AAA')).toBe(OTHER_ORGS);
  });

  it('never holds more distinct labels than the cap plus other, however many orgs pass', () => {
    const labels = new CappedLabels(50);
    const seen = new Set<string>();
    for (let i = 0; i < 5_000; i++) seen.add(labels.label(`00D5L${String(i).padStart(10, '0')}AAA`));
    expect(seen.size).toBe(51);
  });
});
