import fp from 'fastify-plugin';
import { runHourly } from './hourly-sweep.js';
import type { TenancyConfig } from '../../config/tenancy-config.js';
import { TokenCipher } from '../../adapters/secrets/token-cipher.js';
import { OrgConnections } from '../../services/org-connections.js';
import { OrgMetrics } from '../../adapters/metrics/org-metrics.js';
import orgConnectionRoutes from '../routes/org-connections.js';

/**
 * Multi-org mode (SCRIBE_TENANCY=multi): the connected orgs as a decorator (`app.orgConnections`),
 * the routes that connect and disconnect them, and the sweep that erases a disconnected org once its
 * grace period is over (a minute after start, then hourly, never overlapping; closing waits for it).
 * Not registered in single-org mode, where none of this exists.
 */

declare module 'fastify' {
  interface FastifyInstance {
    orgConnections: OrgConnections;
  }
}

export interface OrgConnectionsPluginOptions {
  tenancy: Extract<TenancyConfig, { mode: 'multi' }>;
  /** The clock; tests move it. */
  now?: () => Date;
  /** False: this process takes no part in the erasure sweep (a process that only takes requests). */
  sweep?: boolean;
}

export default fp<OrgConnectionsPluginOptions>(
  async (app, options) => {
    const { tenancy } = options;
    const { pool } = app.conversations.database;
    const metrics = new OrgMetrics(app.conversations.metrics.registry, pool, tenancy.maxOrgMetricLabels);
    const connections = new OrgConnections({
      pool,
      observe: (orgId, event) => metrics.observe(orgId, event),
      cipher: new TokenCipher(tenancy.keys.current, tenancy.keys.previous),
      oauth: tenancy.oauth,
      stateTtlMs: tenancy.stateTtlMs,
      erasureGraceMs: tenancy.erasureGraceMs,
      logger: app.log.child({ component: 'org-connections' }),
      now: options.now,
    });
    app.decorate('orgConnections', connections);
    await app.register(orgConnectionRoutes);
    if (options.sweep === false) return;

    const log = app.log.child({ job: 'org-erasure' });
    const sweep = async () => {
      try {
        await connections.eraseDue();
      } catch (error) {
        log.error({ err: error }, 'the erasure of disconnected orgs failed; it runs again within the hour');
      }
    };
    runHourly(app, sweep);
  },
  { name: 'org-connections', fastify: '5.x', dependencies: ['conversations'] },
);
