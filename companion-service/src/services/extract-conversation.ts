import type { Insights } from '../domain/insights/schema.js';
import type { Extractor } from '../domain/extraction/extractor.js';
import type { OrgRules } from '../domain/org-rules.js';
import { parseConversation } from '../domain/source/detect.js';
import { findStage } from '../domain/stages/stage-rules.js';

export class InputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InputError';
  }
}

export interface ExtractRequest {
  raw: string;
  /** YYYY-MM-DD; wins over a date the source carries. */
  meetingDate?: string | null;
  currentStage?: string | null;
  /** YYYY-MM-DD used when neither the request nor the source dates the conversation. */
  today: string;
  rules: OrgRules;
  extractor: Extractor;
}

/** One conversation in, insights out: parse, settle the meeting date and stage, extract. */
export async function extractConversation(request: ExtractRequest): Promise<Insights> {
  const conversation = parseConversation(request.raw);
  const stage = request.currentStage ?? conversation.crmContext?.stageName ?? null;
  if (stage && !findStage(request.rules.stageRules, stage)) {
    const known = request.rules.stageRules.stages.map((s) => `"${s.stageName}"`).join(', ');
    throw new InputError(`stage "${stage}" is not defined in Stage_Definition__mdt; use one of ${known}`);
  }
  return request.extractor.extract(conversation, {
    currentStage: stage ? findStage(request.rules.stageRules, stage)!.stageName : null,
    meetingDate: request.meetingDate ?? conversation.meetingDate ?? request.today,
    rules: request.rules,
  });
}
