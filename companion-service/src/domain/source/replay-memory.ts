/**
 * What every web process remembers of the deliveries it took, so that the same delivery offered to
 * any of them again is recognised: a signed webhook's signature for as long as its timestamp is
 * accepted, a Graph notification's id for as long as Graph retries it. `firstSight` is atomic across
 * processes: of two processes offered the same key at once, exactly one hears true.
 */

export type DeliveryChannel = 'zoom' | 'teams' | 'recordings';

export interface ReplayMemory {
  /** True the first time `key` is offered on `channel` within `windowMs`; false for a replay. */
  firstSight(channel: DeliveryChannel, key: string, windowMs: number): Promise<boolean>;
  /** Forgets a key whose delivery was not taken after all (it failed), so its retry is not a replay. */
  forget(channel: DeliveryChannel, key: string): Promise<void>;
}

/**
 * How long a signature stays usable: a timestamp is accepted up to `maxSkewSeconds` either side of
 * now, so the same bytes can arrive for twice that long.
 */
export const signatureWindowMs = (maxSkewSeconds: number) => maxSkewSeconds * 2 * 1000;

/**
 * Graph retries a notification it could not deliver for up to 4 hours
 * (https://learn.microsoft.com/en-us/graph/change-notifications-delivery-webhooks, "HTTP codes and
 * retry logic"); its id is remembered that long.
 */
export const GRAPH_RETRY_WINDOW_MS = 4 * 60 * 60 * 1000;
