/**
 * When the service's Microsoft Graph subscription to Teams transcripts is created, renewed or left
 * alone. Graph lets a subscription to `communications/onlineMeetings/getAllTranscripts` last at most
 * 4230 minutes (https://learn.microsoft.com/en-us/graph/api/resources/subscription, "Maximum length of
 * subscription per resource type"), and wants a lifecycleNotificationUrl past one hour
 * (https://learn.microsoft.com/en-us/graph/teams-changenotifications-callrecording-and-calltranscript).
 * The service asks for a little less than the maximum, so clocks a few minutes apart never make
 * Graph refuse it, and renews a day before expiry, so a day of failed renewals loses nothing.
 */

export const TRANSCRIPTS_RESOURCE = 'communications/onlineMeetings/getAllTranscripts';
export const MAX_SUBSCRIPTION_MINUTES = 4230;
const REQUESTED_MINUTES = MAX_SUBSCRIPTION_MINUTES - 30;
const RENEW_WITHIN_MS = 24 * 60 * 60_000;

export interface KnownSubscription {
  subscriptionId: string;
  expiresAt: Date;
}

export type SubscriptionStep = 'create' | 'renew' | 'keep';

/** What to do with the subscription the service knows of (none: create one). */
export function subscriptionStep(known: KnownSubscription | null, now: Date): SubscriptionStep {
  if (!known || known.expiresAt.getTime() <= now.getTime()) return 'create';
  return known.expiresAt.getTime() - now.getTime() <= RENEW_WITHIN_MS ? 'renew' : 'keep';
}

/** The expirationDateTime to ask Graph for, from now. */
export function requestedExpiry(now: Date): Date {
  return new Date(now.getTime() + REQUESTED_MINUTES * 60_000);
}
