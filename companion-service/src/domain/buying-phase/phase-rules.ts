import { z } from 'zod';
import { parseSignals, type PatternToken, type StageSignal } from '../stages/stage-rules.js';

/**
 * Buying phases as sales ops keep them in Buying_Phase_Rule__mdt: the customer's own decision
 * journey, ordered, each evidenced by behaviours written in the stage-signal pattern syntax.
 */

export const BuyingPhaseRecordSchema = z.object({
  developerName: z.string().min(1),
  phase: z.string().min(1, 'Decision_Phase__c is required'),
  sortOrder: z.number().int(),
  engagementSignals: z.string(),
  isActive: z.boolean(),
});
export type BuyingPhaseRecord = z.infer<typeof BuyingPhaseRecordSchema>;

export interface BuyingPhaseRule {
  phase: string;
  sortOrder: number;
  signals: StageSignal[];
}

export function buildBuyingPhaseRules(records: readonly BuyingPhaseRecord[]): BuyingPhaseRule[] {
  return records
    .filter((r) => r.isActive)
    .map((r) => ({
      phase: r.phase,
      sortOrder: r.sortOrder,
      signals: parseSignals(
        r.engagementSignals,
        `Buying_Phase_Rule__mdt.${r.developerName}.Engagement_Signals__c`,
      ),
    }))
    .sort((a, b) => a.sortOrder - b.sortOrder);
}

/** The words of an engagement kind: `Price_List_Viewed` and "price list viewed" read alike. */
export function kindWords(kind: string): string[] {
  return kind
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter(Boolean);
}

/** Whether the tokens occur in the words, in order; a gap stands for up to three words. */
export function phraseMatches(tokens: readonly PatternToken[], words: readonly string[]): boolean {
  const at = (t: number, w: number): boolean => {
    if (t === tokens.length) return true;
    const token = tokens[t]!;
    if (token.kind === 'gap') {
      for (let skip = 0; skip <= 3 && w + skip <= words.length; skip++) if (at(t + 1, w + skip)) return true;
      return false;
    }
    const word = words[w];
    if (word === undefined) return false;
    const ok =
      token.kind === 'word'
        ? word === token.text
        : token.kind === 'prefix'
          ? word.startsWith(token.text)
          : false; // @competitor names a vendor in a conversation; an engagement kind never holds one
    return ok && at(t + 1, w + 1);
  };
  for (let start = 0; start < words.length; start++) if (at(0, start)) return true;
  return false;
}
