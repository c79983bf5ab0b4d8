import type { GongApi } from './gong-client.js';
import { GongApiError } from './gong-client.js';

/**
 * A call Gong announced, made whole for the Gong parser: its transcript from /v2/calls/transcript,
 * joined with the webhook's call data (parties, metaData, CRM context). When the webhook's call data
 * has no parties, /v2/calls/extensive supplies them, so speakers get names and sides. The CRM context
 * stays in the content, where the parser reads the linked opportunity as a hint to matching.
 */

export interface AnnouncedCall {
  metaData: { id: string; title?: string | null; started?: string | null; scheduled?: string | null };
  parties?: unknown[] | null;
  context?: unknown[] | null;
  [field: string]: unknown;
}

export interface GongConversation {
  /** The JSON text parseConversation reads as Gong. */
  content: string;
  sourceId: string;
  source: 'Gong Call';
}

export class GongCallNotFound extends Error {
  constructor(readonly callId: string) {
    super(
      `Gong has no transcript for call ${callId}: the call may be deleted, private, or not yet transcribed`,
    );
    this.name = 'GongCallNotFound';
  }
}

export async function conversationForCall(api: GongApi, call: AnnouncedCall): Promise<GongConversation> {
  const callId = call.metaData.id;
  const transcripts = await api.transcripts([callId]).catch((error: unknown) => {
    // Gong answers 404 when no call matches the filter.
    if (error instanceof GongApiError && error.status === 404) return [];
    throw error;
  });
  const transcript = transcripts.find((t) => t.callId === callId);
  if (!transcript || transcript.transcript.length === 0) throw new GongCallNotFound(callId);

  let { parties, context, metaData } = call;
  if (!parties || parties.length === 0) {
    const extensive = (await api.extensiveCalls([callId])).find((c) => c.metaData.id === callId);
    parties = extensive?.parties ?? [];
    context = context && context.length > 0 ? context : (extensive?.context ?? []);
    metaData = { ...extensive?.metaData, ...metaData };
  }
  return {
    content: JSON.stringify({ metaData, parties, context: context ?? [], callTranscripts: [transcript] }),
    sourceId: `gong:${callId}`,
    source: 'Gong Call',
  };
}
