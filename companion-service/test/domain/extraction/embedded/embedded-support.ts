import { expect } from 'vitest';
import { loadPackageRules } from '../../../../src/adapters/metadata/package-metadata.js';
import { EmbeddedExtractor } from '../../../../src/domain/extraction/embedded/embedded-extractor.js';
import type { Evidence, Insights } from '../../../../src/domain/insights/schema.js';
import type { OrgRules } from '../../../../src/domain/org-rules.js';
import type { Conversation } from '../../../../src/domain/source/conversation.js';
import { parseConversation } from '../../../../src/domain/source/detect.js';
import { splitSentences, type Sentence } from '../../../../src/domain/text/sentences.js';

/** A Wednesday: "next Tuesday" is the 17th, "by Friday" the 13th, whichever way chrono reads "next". */
export const MEETING_DATE = '2026-03-11';

let packageRules: Promise<OrgRules> | undefined;

/** The rules shipped in force-app, read once: the same records the org runs on. */
export function rules(): Promise<OrgRules> {
  packageRules ??= loadPackageRules();
  return packageRules;
}

export function sentencesOf(raw: string): { conversation: Conversation; sentences: Sentence[] } {
  const conversation = parseConversation(raw);
  return { conversation, sentences: splitSentences(conversation) };
}

export interface ExtractOptions {
  meetingDate?: string;
  currentStage?: string | null;
  rules?: OrgRules;
}

export async function extract(
  raw: string,
  options: ExtractOptions = {},
): Promise<{ conversation: Conversation; insights: Insights }> {
  const conversation = parseConversation(raw);
  const insights = await new EmbeddedExtractor().extract(conversation, {
    currentStage: options.currentStage ?? null,
    meetingDate: options.meetingDate ?? MEETING_DATE,
    rules: options.rules ?? (await rules()),
  });
  return { conversation, insights };
}

/** A quote is the source's own words at the offsets it claims. */
export function expectQuoted(conversation: Conversation, evidence: Evidence): void {
  expect(evidence.quote.length).toBeGreaterThan(0);
  expect(evidence.quote).toBe(conversation.text.slice(evidence.start, evidence.end));
}

/** Every piece of evidence anywhere in the insights. */
export function allEvidence(insights: Insights): Evidence[] {
  const out: Evidence[] = [];
  const statements = [
    ...insights.decisions,
    ...insights.objections,
    ...insights.nextSteps,
    ...insights.stakeholders,
    ...(insights.contactDetails ?? []),
    ...insights.competitors,
    ...Object.values(insights.meddpicc).flat(),
  ];
  for (const s of statements) out.push(s.evidence);
  for (const single of [insights.budget, insights.timeline, insights.useCase, insights.seatCount])
    if (single) out.push(single.evidence);
  out.push(...(insights.stageSuggestion?.evidence ?? []));
  for (const u of insights.fieldUpdates) out.push(u.evidence);
  return out;
}

export function expectAllQuoted(conversation: Conversation, insights: Insights): void {
  for (const evidence of allEvidence(insights)) expectQuoted(conversation, evidence);
}

/** "Dana Whitfield: ..." lines, one per turn; someone must speak twice for it to read as a call. */
export function transcript(...turns: [speaker: string, text: string][]): string {
  const raw = turns.map(([speaker, text]) => `${speaker}: ${text}`).join('\n');
  const format = parseConversation(raw).format;
  if (format !== 'transcript') throw new Error(`this fixture reads as ${format}, not a transcript: ${raw}`);
  return raw;
}
