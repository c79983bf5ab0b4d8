import fp from 'fastify-plugin';
import { PostgresRescoreRequests } from '../../adapters/postgres/pubsub-event-stores.js';
import { RescoreDrain } from '../../services/rescore-drain.js';

/**
 * Incremental re-scoring in the running service: the re-score requests that Opportunity_Changed__e
 * and processed conversations leave in Postgres are drained into the pipeline scanner.
 */

declare module 'fastify' {
  interface FastifyInstance {
    rescoring: RescoreDrain;
  }
}

export default fp<{ intervalMs?: number }>(
  async (app, options) => {
    const drain = new RescoreDrain(
      new PostgresRescoreRequests(app.conversations.org),
      app.pipelineScan,
      app.log.child({ job: 'rescore' }),
      options.intervalMs,
    );
    app.decorate('rescoring', drain);
    app.addHook('onReady', async () => drain.start());
    app.addHook('preClose', async () => drain.stop());
  },
  { name: 'rescoring', dependencies: ['conversations', 'pipeline-scan'], fastify: '5.x' },
);
