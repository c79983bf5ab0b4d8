import { describe, expect, it } from 'vitest';
import { meetingConsent, type MeetingConsentDeps } from '../../../src/services/ingest/meeting-consent.js';
import type { ConsentRules } from '../../../src/domain/privacy/recording-consent.js';
import type { PlacedPerson } from '../../../src/domain/privacy/address-region.js';

const rules = (over: Partial<ConsentRules> = {}): ConsentRules => ({
  policy: 'Hold',
  allPartyJurisdictions: new Set(['US-CA', 'DE']),
  platformConsent: new Set(),
  ...over,
});

function deps(r: ConsentRules, people: PlacedPerson[]): MeetingConsentDeps & { asked: number } {
  const d = {
    asked: 0,
    rules: async () => r,
    lookUp: async () => {
      d.asked++;
      return people;
    },
  };
  return d;
}

const ana = (state: string | null, country: string | null): PlacedPerson => ({
  name: 'Ana Lopez',
  email: 'ana@fabrikam.com',
  state,
  country,
});
const who = { emails: [], names: ['Ana Lopez'] };

describe('consent for a Zoom or Teams meeting', () => {
  it('holds when a person the org knows is in an all-party-consent place', async () => {
    const decision = await meetingConsent('zoom', who, deps(rules(), [ana('California', 'USA')]), 0);
    expect(decision).toMatchObject({ action: 'hold', jurisdiction: 'US-CA' });
    expect(decision.reason).toContain('Ana Lopez is in US-CA');
    expect((await meetingConsent('teams', who, deps(rules(), [ana('Berlin', 'Germany')]), 0)).action).toBe(
      'hold',
    );
    expect(
      (await meetingConsent('teams', who, deps(rules({ policy: 'Drop' }), [ana('CA', 'US')]), 0)).action,
    ).toBe('drop');
  });

  it('processes when the org has them elsewhere, nowhere, or not at all', async () => {
    for (const people of [[ana('NY', 'US')], [ana(null, null)], []]) {
      expect((await meetingConsent('zoom', who, deps(rules(), people), 0)).action).toBe('process');
    }
  });

  it("relies on the platform's consent prompt only for the platform the org checked, without asking the org", async () => {
    const relied = deps(rules({ platformConsent: new Set(['teams']) }), [ana('CA', 'US')]);
    expect((await meetingConsent('teams', who, relied, 0)).action).toBe('process');
    expect(relied.asked).toBe(0);
    expect((await meetingConsent('zoom', who, relied, 0)).action).toBe('hold');
  });
});
