import { z } from 'zod';
import type { RecordedParticipant, Recording } from '../source/recorder-mapping.js';

/**
 * Whether a recording may be processed: when a participant is in a jurisdiction that requires every
 * party's consent to record, and the recording does not say consent was given, the org's policy
 * (Scribe_Setting__mdt Recording_Consent_Policy__c) decides: hold it for an admin, process it, or drop
 * it. The jurisdictions are the org's data (Consent_Jurisdiction__mdt), never a list kept here.
 * Where a participant is comes from the recorder's payload: the region its mapping names (ISO 3166-2
 * such as US-CA, or a country such as DE). A phone number is not read for it: a US area code follows
 * the person, not where they sit. A participant whose place is unknown does not trigger a hold; a
 * missing or unreadable policy is read as Hold.
 */

export const CONSENT_POLICIES = ['Hold', 'Process', 'Drop'] as const;
export type ConsentPolicy = (typeof CONSENT_POLICIES)[number];

/** Meeting platforms whose own recording-consent prompt an org may choose to rely on. */
export type ConsentPlatform = 'zoom' | 'teams';

export interface ConsentRules {
  policy: ConsentPolicy;
  /** Upper-case ISO 3166-2 subdivisions (US-CA) and ISO 3166-1 countries (DE) that need all-party consent. */
  allPartyJurisdictions: ReadonlySet<string>;
  /**
   * Platforms whose consent prompt the org relies on (Rely_On_Zoom_Consent_Notice__c,
   * Rely_On_Teams_Recording_Consent__c): their recordings count as consented to. Empty by default.
   */
  platformConsent: ReadonlySet<ConsentPlatform>;
}

export type ConsentDecision =
  { action: 'process'; reason: null } | { action: 'hold' | 'drop'; reason: string; jurisdiction: string };

/** Where a participant is, most precise first (US-CA, then US); empty when the recorder does not say. */
export function placeOf(participant: Pick<RecordedParticipant, 'region'>): string[] {
  const region = participant.region?.trim().toUpperCase();
  if (!region) return [];
  const country = region.split('-')[0]!;
  return region === country ? [country] : [region, country];
}

export function consentDecision(
  recording: Pick<Recording, 'participants' | 'consentRecorded'>,
  rules: ConsentRules,
): ConsentDecision {
  if (recording.consentRecorded === true || rules.policy === 'Process')
    return { action: 'process', reason: null };
  for (const participant of recording.participants) {
    const jurisdiction = placeOf(participant).find((p) => rules.allPartyJurisdictions.has(p));
    if (!jurisdiction) continue;
    const who = participant.name ?? participant.email ?? 'a participant';
    const action = rules.policy === 'Drop' ? 'drop' : 'hold';
    return {
      action,
      jurisdiction,
      reason: `${who} is in ${jurisdiction}, where every party must consent to recording, and the recording does not say consent was given; ${action === 'hold' ? 'held until an admin releases or drops it (Recordings held for consent, on the Pipeline Scribe Setup page)' : 'dropped, as Recording_Consent_Policy__c says'}`,
    };
  }
  return { action: 'process', reason: null };
}

const ParticipantSchema = z.object({
  name: z.string().nullable(),
  email: z.string().nullable(),
  phone: z.string().nullable(),
  region: z.string().nullable(),
});

/** What a queued recorder job holds: the recording as its mapping read it, and the consent decision. */
export const RecordingJobSchema = z.object({
  recording: z.object({
    tool: z.string().min(1),
    externalId: z.string().min(1),
    title: z.string().nullable(),
    startedAt: z.string().nullable(),
    participants: z.array(ParticipantSchema),
    transcript: z.string().min(1),
    consentRecorded: z.boolean().nullable(),
  }),
  consent: z.union([
    z.object({ action: z.literal('process'), reason: z.null() }),
    z.object({ action: z.literal('hold'), reason: z.string(), jurisdiction: z.string() }),
  ]),
});
export type RecordingJob = z.infer<typeof RecordingJobSchema>;
