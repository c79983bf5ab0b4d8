import type pg from 'pg';
import type { TrustDecision } from '../../domain/writeback/org-view.js';
import type { DeadLetter, DeadLetters, ReplayStore } from '../salesforce/pubsub-replay-store.js';
import {
  trustOutcome,
  type Decision,
  type RescoreRequest,
  type RescoreRequests,
  type SuggestionDecision,
  type SuggestionDecisionLog,
} from '../../domain/writeback/platform-events-records.js';

/**
 * The platform-event intake's durable state in Postgres (migration 010): replay positions, dead
 * letters, reps' decisions and re-score requests. Every write is one statement, and each takes the
 * same event twice as once.
 */

const toBytes = (replayId: bigint) => {
  const buffer = Buffer.alloc(8);
  buffer.writeBigUInt64BE(replayId);
  return buffer;
};

export class PostgresReplayStore implements ReplayStore {
  constructor(private readonly pool: Pick<pg.Pool, 'query'>) {}

  async get(topicName: string): Promise<bigint | null> {
    const { rows } = await this.pool.query<{ replay_id: Buffer }>(
      'SELECT replay_id FROM pubsub_replay_positions WHERE topic = $1',
      [topicName],
    );
    return rows[0] ? rows[0].replay_id.readBigUInt64BE() : null;
  }

  async put(topicName: string, replayId: bigint): Promise<void> {
    await this.pool.query(
      `INSERT INTO pubsub_replay_positions (topic, replay_id) VALUES ($1, $2)
       ON CONFLICT (org_id, topic) DO UPDATE SET replay_id = EXCLUDED.replay_id, updated_at = now()`,
      [topicName, toBytes(replayId)],
    );
  }
}

export class PostgresDeadLetters implements DeadLetters {
  constructor(private readonly pool: Pick<pg.Pool, 'query'>) {}

  async record(letter: DeadLetter): Promise<void> {
    await this.pool.query(
      `INSERT INTO pubsub_dead_letters (topic, replay_id, event_id, reason, payload) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (org_id, topic, replay_id) DO NOTHING`,
      [letter.topicName, toBytes(letter.replayId), letter.eventId, letter.reason, letter.payload],
    );
  }
}

export class PostgresDecisionLog implements SuggestionDecisionLog {
  constructor(private readonly pool: Pick<pg.Pool, 'query'>) {}

  async record(d: SuggestionDecision): Promise<boolean> {
    const { rowCount } = await this.pool.query(
      `INSERT INTO suggestion_decisions (event_id, suggestion_id, external_id, decision, opportunity_id,
         target_object, target_field, target_record_id, proposed_value, applied_value, confidence,
         decided_by_id, decided_at, message)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)
       ON CONFLICT (org_id, event_id) DO NOTHING`,
      [
        d.eventId,
        d.suggestionId,
        d.externalId,
        d.decision,
        d.opportunityId,
        d.targetObject,
        d.targetField,
        d.targetRecordId,
        d.proposedValue,
        d.appliedValue,
        d.confidence,
        d.decidedById,
        d.decidedAt,
        d.message,
      ],
    );
    return rowCount === 1;
  }

  async recentForField(objectName: string, fieldName: string, limit: number): Promise<TrustDecision[]> {
    const { rows } = await this.pool.query<{ decision: Decision; decided_at: Date }>(
      `SELECT decision, decided_at FROM suggestion_decisions
       WHERE target_object = $1 AND target_field = $2 AND decision IN ('Accepted', 'Edited', 'Rejected')
       ORDER BY decided_at DESC LIMIT $3`,
      [objectName, fieldName, limit],
    );
    return rows.map((r) => ({
      objectName,
      fieldName,
      outcome: trustOutcome(r.decision)!,
      at: r.decided_at.toISOString(),
    }));
  }
}

export class PostgresRescoreRequests implements RescoreRequests {
  constructor(private readonly pool: Pick<pg.Pool, 'query'>) {}

  async request(r: RescoreRequest): Promise<void> {
    // An open request gathers what changed; a done one is opened again with this change alone.
    await this.pool.query(
      `INSERT INTO rescore_requests (opportunity_id, changed_fields, is_new, event_id, requested_at)
       VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (org_id, opportunity_id) DO UPDATE SET
         changed_fields = CASE WHEN rescore_requests.done_at IS NULL
           THEN ARRAY(SELECT DISTINCT unnest(rescore_requests.changed_fields || EXCLUDED.changed_fields))
           ELSE EXCLUDED.changed_fields END,
         is_new = EXCLUDED.is_new OR (rescore_requests.done_at IS NULL AND rescore_requests.is_new),
         event_id = EXCLUDED.event_id,
         requested_at = GREATEST(rescore_requests.requested_at, EXCLUDED.requested_at),
         done_at = NULL`,
      [r.opportunityId, r.changedFields, r.isNew, r.eventId, r.requestedAt],
    );
  }

  async pending(limit: number): Promise<RescoreRequest[]> {
    const { rows } = await this.pool.query<{
      opportunity_id: string;
      changed_fields: string[];
      is_new: boolean;
      event_id: string;
      requested_at: Date;
    }>(
      `SELECT opportunity_id, changed_fields, is_new, event_id, requested_at FROM rescore_requests
       WHERE done_at IS NULL ORDER BY requested_at LIMIT $1`,
      [limit],
    );
    return rows.map((r) => ({
      opportunityId: r.opportunity_id,
      changedFields: [...r.changed_fields].sort(),
      isNew: r.is_new,
      eventId: r.event_id,
      requestedAt: r.requested_at.toISOString(),
    }));
  }

  async markDone(opportunityIds: string[], requestedUpTo: string): Promise<void> {
    await this.pool.query(
      `UPDATE rescore_requests SET done_at = now()
       WHERE opportunity_id = ANY($1) AND done_at IS NULL AND requested_at <= $2`,
      [opportunityIds, requestedUpTo],
    );
  }
}
