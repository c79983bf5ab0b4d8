import { describe, expect, it } from 'vitest';
import { regionOfAddress } from '../../../src/domain/privacy/address-region.js';

describe('where a Contact or Lead is, from the mailing state and country reps type', () => {
  it.each([
    ['CA', 'US', 'US-CA'],
    ['California', 'United States', 'US-CA'],
    [' new  hampshire ', 'USA', 'US-NH'],
    ['Washington', '', 'US-WA'],
    ['wa', null, 'US-WA'],
    [null, 'United States of America', 'US'],
    ['Bavaria', 'Germany', 'DE'],
    [null, 'DE', 'DE'],
    ['VLG', 'Belgium', 'BE-VLG'],
  ])('%s, %s is %s', (state, country, region) => {
    expect(regionOfAddress(state, country)).toBe(region);
  });

  it('says nothing when neither the state nor the country is a place it knows', () => {
    expect(regionOfAddress(null, null)).toBeNull();
    expect(regionOfAddress('Somewhere', 'Narnia')).toBeNull();
    expect(regionOfAddress('Ontario', '')).toBeNull();
  });
});
