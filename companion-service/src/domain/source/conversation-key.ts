import { createHash } from 'node:crypto';

/** The id a conversation is known by everywhere (queue, table, Salesforce): stable per source id. */
export const conversationKey = (sourceId: string) =>
  `cv_${createHash('sha256').update(sourceId).digest('base64url').slice(0, 22)}`;
