import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { ConversationResultSchema } from '../../services/conversation-result.js';
import { ConversationParamsSchema, ConversationRequestSchema, ErrorSchema } from '../schemas/conversation.js';

/**
 * The conversation API: POST runs a conversation through extraction and write-back and answers with
 * what happened (201 when the org changed, 200 when it already held everything); GET returns that
 * result again. A Salesforce failure answers 502 and keeps the details for GET.
 */
const conversationRoutes: FastifyPluginAsyncZod = async (app) => {
  app.post(
    '/v1/conversations',
    {
      schema: {
        body: ConversationRequestSchema,
        response: { 200: ConversationResultSchema, 201: ConversationResultSchema, 502: ErrorSchema },
      },
    },
    async (request, reply) => {
      const { gong, content, ...rest } = request.body;
      const result = await app.conversations.processor.process({
        ...rest,
        content: content ?? JSON.stringify(gong),
      });
      await app.conversations.store.save(result);
      reply.header('Location', `/v1/conversations/${result.id}`);
      if (result.status === 'failed') {
        return reply.code(502).send({
          error: `Salesforce did not take the conversation; GET /v1/conversations/${result.id} has what it said`,
          id: result.id,
        });
      }
      return reply.code(result.changedOrg ? 201 : 200).send(result);
    },
  );

  app.get(
    '/v1/conversations/:id',
    {
      schema: {
        params: ConversationParamsSchema,
        response: { 200: ConversationResultSchema, 404: ErrorSchema },
      },
    },
    async (request, reply) => {
      const result = await app.conversations.store.get(request.params.id);
      if (!result) {
        return reply.code(404).send({
          error: `no conversation ${request.params.id} was processed since the service started; POST it again (processing is idempotent)`,
        });
      }
      return result;
    },
  );
};

export default conversationRoutes;
