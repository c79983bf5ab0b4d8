import { Counter, Gauge, type Registry } from 'prom-client';
import type pg from 'pg';
import { CappedLabels } from '../../domain/tenancy/capped-labels.js';
import type { OrgConnectionEvent } from '../../domain/tenancy/org-connection-rules.js';

/**
 * What an operator of a multi-org service watches about the orgs themselves: how many are in each
 * connection state, and per org (capped, see CappedLabels) what happened to its connection: connected,
 * token refreshed, refresh failed, revoked, disconnected, erased. Registered on the app's registry, so
 * /metrics shows them beside the conversations'.
 */
export class OrgMetrics {
  private readonly events: Counter<'org' | 'event'>;
  private readonly labels: CappedLabels;

  constructor(registry: Registry, pool: pg.Pool, maxOrgLabels: number) {
    this.labels = new CappedLabels(maxOrgLabels);
    new Gauge({
      name: 'scribe_org_connections',
      help: 'Connected orgs by connection state',
      labelNames: ['state'],
      registers: [registry],
      async collect() {
        const { rows } = await pool.query<{ state: string; n: string }>(
          'SELECT state, count(*) AS n FROM org_connections GROUP BY state',
        );
        this.reset();
        for (const row of rows) this.set({ state: row.state }, Number(row.n));
      },
    });
    this.events = new Counter({
      name: 'scribe_org_connection_events_total',
      help: `What happened to each org's connection, by org (the first ${maxOrgLabels} orgs by id, later ones as "other")`,
      labelNames: ['org', 'event'],
      registers: [registry],
    });
  }

  observe(orgId: string, event: OrgConnectionEvent): void {
    this.events.inc({ org: this.labels.label(orgId), event });
  }
}
