import type { ConversationInput } from '../conversation-input.js';
import { GongCallDataSchema } from '../../adapters/gong/call-data.js';
import { conversationForCall, GongCallNotFound } from '../../adapters/gong/call-conversation.js';
import { GongApiError, type GongApi } from '../../adapters/gong/gong-client.js';
import { PermanentJobError, TransientSalesforceError } from './failure-kinds.js';

/**
 * A queued Gong webhook becomes a conversation: the transcript is fetched from Gong's API and joined
 * with the call data the webhook brought. Gong's rate limits, outages and timeouts are retried like
 * Salesforce's; missing credentials, refusals and unknown calls go dead with the reason, to be
 * re-driven once fixed.
 */
export async function gongInput(
  payload: unknown,
  gong: GongApi | null | undefined,
): Promise<ConversationInput> {
  const parsed = GongCallDataSchema.safeParse((payload as { callData?: unknown } | null)?.callData);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new PermanentJobError(
      'INVALID_PAYLOAD',
      `the stored Gong call's callData.${issue.path.join('.')} is not valid: ${issue.message}`,
    );
  }
  if (!gong) {
    throw new PermanentJobError(
      'GONG_NOT_CONFIGURED',
      'the call transcript cannot be fetched: set GONG_ACCESS_KEY and GONG_ACCESS_KEY_SECRET (or GONG_OAUTH_TOKEN), restart, then re-drive this conversation',
    );
  }
  try {
    return await conversationForCall(gong, parsed.data);
  } catch (error) {
    if (error instanceof GongCallNotFound) throw new PermanentJobError('GONG_CALL_NOT_FOUND', error.message);
    if (error instanceof GongApiError) {
      const code = error.status ? `GONG_HTTP_${error.status}` : 'GONG_UNREACHABLE';
      if (error.transient) throw new TransientSalesforceError(code, error.message);
      throw new PermanentJobError(code, error.message);
    }
    throw error;
  }
}
