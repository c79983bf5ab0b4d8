import { z } from 'zod';
import type { SalesforceApi } from '../../adapters/salesforce/salesforce-client.js';
import { bodyOf, queryPath, queryResultOf, soqlString } from '../../adapters/salesforce/responses.js';
import { SOURCE_LABELS, type ConversationInput } from '../conversation-input.js';
import { CapturedConversationJobSchema } from './platform-events.js';
import { PermanentJobError } from './failure-kinds.js';

/**
 * A conversation announced by Conversation_Captured__e, as a conversation to process: its text read
 * from the Conversation__c a rep saved, with its deal, account, source and time. The write-back finds
 * the record by its source id, so a record saved without one gets `sf:<its id>` first; processing
 * then updates that same record instead of creating a second.
 */

const ConversationRowSchema = z.looseObject({
  Id: z.string(),
  Name: z.string().nullish(),
  Content__c: z.string().nullish(),
  Source__c: z.string().nullish(),
  Source_Id__c: z.string().nullish(),
  Opportunity__c: z.string().nullish(),
  Account__c: z.string().nullish(),
  Occurred_At__c: z.string().nullish(),
  Recording_Document_Id__c: z.string().nullish(),
});

const SourceLabelSchema = z.enum(SOURCE_LABELS);

export async function capturedConversationInput(
  api: SalesforceApi,
  payload: unknown,
): Promise<ConversationInput> {
  const job = CapturedConversationJobSchema.safeParse(payload);
  if (!job.success) {
    const issue = job.error.issues[0]!;
    throw new PermanentJobError(
      'INVALID_PAYLOAD',
      `the stored platform event's ${issue.path.join('.') || 'payload'} is not valid: ${issue.message}`,
    );
  }
  const { conversationId } = job.data;
  const responses = await api.composite(
    [
      {
        method: 'GET',
        referenceId: 'conversation',
        path: queryPath(
          `SELECT Id, Name, Content__c, Source__c, Source_Id__c, Opportunity__c, Account__c, Occurred_At__c,
             Recording_Document_Id__c FROM Conversation__c WHERE Id = ${soqlString(conversationId)}`,
        ),
      },
    ],
    false,
  );
  const row = bodyOf(responses, 'conversation', queryResultOf(ConversationRowSchema)).records[0];
  if (!row) {
    throw new PermanentJobError(
      'CONVERSATION_NOT_FOUND',
      `Conversation__c ${conversationId} no longer exists or the integration user cannot see it`,
    );
  }
  if (!row.Content__c?.trim()) {
    throw new PermanentJobError(
      'NO_TEXT',
      row.Recording_Document_Id__c
        ? `Conversation__c ${conversationId} holds only a recording; send it to POST /v1/voice-memos to have it transcribed`
        : `Conversation__c ${conversationId} has no notes in Content__c`,
    );
  }
  let sourceId = row.Source_Id__c?.trim() || null;
  if (!sourceId) {
    sourceId = `sf:${row.Id}`;
    const stamped = await api.composite(
      [
        {
          method: 'PATCH',
          referenceId: 'stamp',
          path: `/sobjects/Conversation__c/${row.Id}`,
          body: { Source_Id__c: sourceId },
        },
      ],
      true,
    );
    bodyOf(stamped, 'stamp', z.unknown());
  }
  const source = SourceLabelSchema.safeParse(row.Source__c);
  return {
    content: row.Content__c,
    sourceId,
    ...(source.success ? { source: source.data } : {}),
    ...(row.Opportunity__c ? { opportunityId: row.Opportunity__c } : {}),
    ...(row.Account__c ? { accountId: row.Account__c } : {}),
    ...(row.Occurred_At__c ? { meetingDate: row.Occurred_At__c.slice(0, 10) } : {}),
    ...(row.Name?.trim() ? { title: row.Name.trim().slice(0, 80) } : {}),
  };
}
