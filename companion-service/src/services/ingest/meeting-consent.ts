import {
  regionOfAddress,
  type MeetingPeople,
  type PlacedPerson,
} from '../../domain/privacy/address-region.js';
import {
  consentDecision,
  type ConsentDecision,
  type ConsentPlatform,
  type ConsentRules,
} from '../../domain/privacy/recording-consent.js';

/**
 * The consent decision for a Zoom or Teams meeting, whose payloads say neither where participants
 * are nor whether they consented: its people (the host, the transcript's speakers) are looked up in
 * the org, and each matched Contact counts as being where its mailing address is. The same rules
 * as for the other recorders then decide (domain/privacy/recording-consent.ts), unless the org relies
 * on that platform's own consent prompt (Scribe_Setting__mdt, unchecked by default).
 */

export type { MeetingPeople, PlacedPerson };

export interface MeetingConsentDeps {
  rules(now: number): Promise<ConsentRules>;
  /** The org's people among `people`, with their mailing state and country. */
  lookUp(people: MeetingPeople): Promise<PlacedPerson[]>;
}

const PROCESS: ConsentDecision = { action: 'process', reason: null };

export async function meetingConsent(
  platform: ConsentPlatform,
  people: MeetingPeople,
  deps: MeetingConsentDeps,
  now: number,
): Promise<ConsentDecision> {
  const rules = await deps.rules(now);
  if (rules.policy === 'Process' || rules.platformConsent.has(platform)) return PROCESS;
  const found = await deps.lookUp(people);
  const participants = found.map((p) => ({
    name: p.name,
    email: p.email,
    phone: null,
    region: regionOfAddress(p.state, p.country),
  }));
  return consentDecision({ participants, consentRecorded: null }, rules);
}
