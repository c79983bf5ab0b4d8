import { z } from 'zod';

/**
 * Stage definitions as sales ops keep them in Stage_Definition__mdt. This module only gives the
 * records a typed shape and parses their signal lines; the records themselves come from the
 * package files or the org, never from code.
 */

export const StageDefinitionRecordSchema = z.object({
  developerName: z.string().min(1),
  stageName: z.string().min(1, 'Stage_Name__c is required'),
  sortOrder: z.number().int(),
  defaultProbability: z.number().min(0).max(100),
  expectedDays: z.number().nonnegative(),
  isClosed: z.boolean(),
  isWon: z.boolean(),
  entrySignals: z.string(),
  exitSignals: z.string(),
  backwardSignals: z.string(),
  /** Language_Signals__c: "language | Label: pattern; pattern" lines. */
  languageSignals: z.string(),
  description: z.string(),
});
export type StageDefinitionRecord = z.infer<typeof StageDefinitionRecordSchema>;

/**
 * One pattern token: a literal word, a word prefix (`negotiat*`), a contraction's ending (`'s`, for
 * "Dana's moved on"), a gap of up to three words, or a reference.
 */
export type PatternToken =
  | { kind: 'word'; text: string }
  | { kind: 'prefix'; text: string }
  | { kind: 'ending'; text: string }
  | { kind: 'gap' }
  | { kind: 'competitor' };

export type SignalPattern =
  { kind: 'insight'; insight: InsightRef } | { kind: 'phrase'; tokens: PatternToken[] };

export const INSIGHT_REFS = [
  'budget',
  'timeline',
  'identified_pain',
  'metrics',
  'decision_criteria',
  'decision_process',
  'paper_process',
  'economic_buyer',
  'decision_maker',
  'champion',
  'technical_evaluator',
  'use_case',
  'seat_count',
  'competitor',
  'next_step',
] as const;
export type InsightRef = (typeof INSIGHT_REFS)[number];

export interface StageSignal {
  label: string;
  patterns: SignalPattern[];
}

/** How one language says one of a stage's signals (a Language_Signals__c line). */
export interface LanguageSignal {
  /** The primary subtag of the conversation's language ("es", "zh"). */
  language: string;
  /** The label of the stage's entry, exit or backward signal the patterns count for. */
  label: string;
  patterns: SignalPattern[];
}

export interface StageDefinition {
  developerName: string;
  stageName: string;
  sortOrder: number;
  defaultProbability: number;
  expectedDays: number;
  isClosed: boolean;
  isWon: boolean;
  entrySignals: StageSignal[];
  exitSignals: StageSignal[];
  backwardSignals: StageSignal[];
  languageSignals: LanguageSignal[];
  description: string;
}

/** How much a stage move must rest on, from the Default Scribe_Setting__mdt record. */
export interface StageEvidenceRules {
  /**
   * Weak_Signal_Mentions__c: how many sentences must state a move's signals when each is only a
   * one-word pattern ("pilot", "discount"); fewer is thin evidence and suggests nothing.
   */
  weakSignalMentions: number;
}

export const StageEvidenceRulesSchema = z.object({
  weakSignalMentions: z.number().int().min(1).max(20),
});

export interface StageRules extends StageEvidenceRules {
  /** Ordered by sortOrder. */
  stages: StageDefinition[];
}

export class StageRuleError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'StageRuleError';
  }
}

export function parsePattern(raw: string, where: string): SignalPattern {
  // Chinese is read character by character (text/sentences.ts), so a pattern is too.
  const text = raw.replace(/(\p{Script=Han})/gu, ' $1 ').trim();
  const insight = /^@([a-z_]+)$/i.exec(text);
  if (insight && insight[1]!.toLowerCase() !== 'competitor') {
    const ref = insight[1]!.toLowerCase();
    if (!(INSIGHT_REFS as readonly string[]).includes(ref)) {
      throw new StageRuleError(
        `${where}: unknown insight "@${ref}"; use one of ${INSIGHT_REFS.map((r) => '@' + r).join(', ')}`,
      );
    }
    return { kind: 'insight', insight: ref as InsightRef };
  }
  const tokens: PatternToken[] = text
    .toLowerCase()
    .split(/\s+/)
    .filter(Boolean)
    .map((word): PatternToken => {
      if (word === '*') return { kind: 'gap' };
      if (word === '@competitor') return { kind: 'competitor' };
      if (word.startsWith('@')) {
        throw new StageRuleError(
          `${where}: "${word}" cannot stand inside a phrase; only @competitor can, and @insight references stand alone`,
        );
      }
      if (word.length > 1 && word.endsWith('*')) return { kind: 'prefix', text: word.slice(0, -1) };
      if (word.length > 1 && /^['’]/.test(word)) return { kind: 'ending', text: "'" + word.slice(1) };
      return { kind: 'word', text: word };
    });
  if (tokens.length === 0 || tokens.every((t) => t.kind === 'gap')) {
    throw new StageRuleError(`${where}: the pattern "${raw}" has no words to match`);
  }
  return { kind: 'phrase', tokens };
}

/** Parses "Label: pattern; pattern" lines. A line without a label uses its first pattern as the label. */
export function parseSignals(block: string, where: string): StageSignal[] {
  return block
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line.length > 0)
    .map((line, index) => {
      const colon = line.indexOf(':');
      const label = colon > 0 ? line.slice(0, colon).trim() : line.split(';')[0]!.trim();
      const body = colon > 0 ? line.slice(colon + 1) : line;
      const patterns = body
        .split(';')
        .map((p) => p.trim())
        .filter(Boolean)
        .map((p) => parsePattern(p, `${where}, line ${index + 1}`));
      if (patterns.length === 0)
        throw new StageRuleError(`${where}, line ${index + 1}: "${line}" has no patterns`);
      return { label, patterns };
    });
}

/**
 * Parses Language_Signals__c lines, "language | Label: pattern; pattern", each naming one of the
 * stage's own signals: a label sales ops renamed fails here, naming the line, rather than going
 * unread.
 */
export function parseLanguageSignals(block: string, where: string, labels: string[]): LanguageSignal[] {
  return block
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line.length > 0)
    .map((line, index) => {
      const at = `${where}, line ${index + 1}`;
      const parts = /^([a-z]{2,3})\s*\|\s*([^:]+):(.*)$/i.exec(line);
      if (!parts)
        throw new StageRuleError(
          `${at}: "${line}" is not "language | Label: pattern; pattern" (for example "es | Contract signed: contrato * firmado")`,
        );
      const label = parts[2]!.trim();
      if (!labels.includes(label))
        throw new StageRuleError(
          `${at}: "${label}" is not a signal of this stage; use one of ${labels.map((l) => `"${l}"`).join(', ')}`,
        );
      const patterns = parts[3]!
        .split(';')
        .map((p) => p.trim())
        .filter(Boolean)
        .map((p) => parsePattern(p, at));
      if (patterns.length === 0) throw new StageRuleError(`${at}: "${line}" has no patterns`);
      return { language: parts[1]!.toLowerCase(), label, patterns };
    });
}

/**
 * The stage rules with the patterns of the conversation's language added to the signals they
 * translate. The signal keeps deciding the stage and the direction; the language only says it.
 */
export function signalsInLanguage(rules: StageRules, language: string): StageRules {
  const primary = language.toLowerCase().split(/[-_]/)[0]!;
  if (!rules.stages.some((s) => s.languageSignals.some((l) => l.language === primary))) return rules;
  return {
    ...rules,
    stages: rules.stages.map((stage) => {
      const own = stage.languageSignals.filter((l) => l.language === primary);
      const translate = (signals: StageSignal[]) =>
        signals.map((signal) => {
          const added = own.filter((l) => l.label === signal.label).flatMap((l) => l.patterns);
          return added.length > 0 ? { ...signal, patterns: [...signal.patterns, ...added] } : signal;
        });
      return {
        ...stage,
        entrySignals: translate(stage.entrySignals),
        exitSignals: translate(stage.exitSignals),
        backwardSignals: translate(stage.backwardSignals),
      };
    }),
  };
}

export function buildStageRules(records: StageDefinitionRecord[], evidence: StageEvidenceRules): StageRules {
  if (records.length === 0) {
    throw new StageRuleError(
      'no Stage_Definition__mdt records found; deploy the package defaults or add records',
    );
  }
  const seen = new Set<string>();
  const stages = records
    .map((r) => {
      const key = r.stageName.toLowerCase();
      if (seen.has(key))
        throw new StageRuleError(`two Stage_Definition__mdt records define "${r.stageName}"`);
      seen.add(key);
      const where = `Stage_Definition__mdt.${r.developerName}`;
      const entrySignals = parseSignals(r.entrySignals, `${where}.Entry_Signals__c`);
      const exitSignals = parseSignals(r.exitSignals, `${where}.Exit_Signals__c`);
      const backwardSignals = parseSignals(r.backwardSignals, `${where}.Backward_Signals__c`);
      const labels = [...entrySignals, ...exitSignals, ...backwardSignals].map((s) => s.label);
      return {
        developerName: r.developerName,
        stageName: r.stageName,
        sortOrder: r.sortOrder,
        defaultProbability: r.defaultProbability,
        expectedDays: r.expectedDays,
        isClosed: r.isClosed,
        isWon: r.isWon,
        entrySignals,
        exitSignals,
        backwardSignals,
        languageSignals: parseLanguageSignals(r.languageSignals, `${where}.Language_Signals__c`, labels),
        description: r.description,
      };
    })
    .sort((a, b) => a.sortOrder - b.sortOrder);
  return { stages, weakSignalMentions: evidence.weakSignalMentions };
}

export function findStage(rules: StageRules, stageName: string): StageDefinition | undefined {
  const wanted = stageName.trim().toLowerCase();
  return rules.stages.find((s) => s.stageName.toLowerCase() === wanted);
}
