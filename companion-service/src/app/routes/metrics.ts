import type { FastifyPluginAsync } from 'fastify';

/** Prometheus metrics: queue depth, processing latency, Salesforce API usage, failures by code. */
const metricsRoutes: FastifyPluginAsync = async (app) => {
  app.get('/metrics', async (_request, reply) => {
    const { registry } = app.conversations.metrics;
    return reply.type(registry.contentType).send(await registry.metrics());
  });
};

export default metricsRoutes;
