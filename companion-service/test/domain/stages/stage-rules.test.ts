import { describe, expect, it } from 'vitest';
import {
  buildStageRules,
  findStage,
  parseLanguageSignals,
  parsePattern,
  parseSignals,
  signalsInLanguage,
  StageRuleError,
  type StageDefinitionRecord,
} from '../../../src/domain/stages/stage-rules.js';

function record(overrides: Partial<StageDefinitionRecord> = {}): StageDefinitionRecord {
  return {
    developerName: 'Qualification',
    stageName: 'Qualification',
    sortOrder: 2,
    defaultProbability: 10,
    expectedDays: 14,
    isClosed: false,
    isWon: false,
    entrySignals: 'Budget discussed: @budget',
    exitSignals: '',
    backwardSignals: '',
    languageSignals: '',
    description: '',
    ...overrides,
  };
}

function ruleError(build: () => unknown): StageRuleError {
  try {
    build();
  } catch (error) {
    expect(error).toBeInstanceOf(StageRuleError);
    return error as StageRuleError;
  }
  throw new Error('expected a StageRuleError');
}

describe('parsePattern', () => {
  it('reads words in lower case, "*" as a gap, "word*" as a prefix and @competitor as a reference', () => {
    expect(parsePattern('Signed * MSA', 'here')).toEqual({
      kind: 'phrase',
      tokens: [{ kind: 'word', text: 'signed' }, { kind: 'gap' }, { kind: 'word', text: 'msa' }],
    });
    expect(parsePattern('negotiat*', 'here')).toEqual({
      kind: 'phrase',
      tokens: [{ kind: 'prefix', text: 'negotiat' }],
    });
    expect(parsePattern('went with @competitor', 'here')).toEqual({
      kind: 'phrase',
      tokens: [{ kind: 'word', text: 'went' }, { kind: 'word', text: 'with' }, { kind: 'competitor' }],
    });
  });

  it("reads a word beginning with an apostrophe as a contraction's ending", () => {
    expect(parsePattern("'s moved on", 'here')).toEqual({
      kind: 'phrase',
      tokens: [
        { kind: 'ending', text: "'s" },
        { kind: 'word', text: 'moved' },
        { kind: 'word', text: 'on' },
      ],
    });
    expect(parsePattern('’s left', 'here')).toMatchObject({ tokens: [{ kind: 'ending', text: "'s" }, {}] });
  });

  it('reads a lone @insight as a reference to an extracted insight, in any case', () => {
    expect(parsePattern('@budget', 'here')).toEqual({ kind: 'insight', insight: 'budget' });
    expect(parsePattern(' @Economic_Buyer ', 'here')).toEqual({ kind: 'insight', insight: 'economic_buyer' });
  });

  it('rejects an unknown insight, naming where it is and what is allowed', () => {
    const error = ruleError(() =>
      parsePattern('@champion_left', 'Stage_Definition__mdt.X.Backward_Signals__c, line 3'),
    );
    expect(error.message).toMatch(
      /^Stage_Definition__mdt\.X\.Backward_Signals__c, line 3: unknown insight "@champion_left"/,
    );
    expect(error.message).toContain('@economic_buyer');
  });

  it('rejects a pattern with no words to match', () => {
    expect(ruleError(() => parsePattern('* *', 'here')).message).toMatch(/has no words to match/);
  });

  // Bug: an @reference inside a phrase is taken as a literal word ("@vendor") that can never match, so a
  // typo in the metadata silently disables the pattern instead of failing like a lone unknown @insight.
  it('rejects an unknown @reference inside a phrase', () => {
    ruleError(() =>
      parsePattern('chose @vendor', 'Stage_Definition__mdt.Closed_Lost.Entry_Signals__c, line 1'),
    );
  });
});

describe('parseSignals', () => {
  it('reads "Label: pattern; pattern" lines, one signal per line', () => {
    const signals = parseSignals(
      'Budget frozen: budget * frozen; no budget\nChampion left: left the company\n',
      'where',
    );
    expect(signals.map((s) => [s.label, s.patterns.length])).toEqual([
      ['Budget frozen', 2],
      ['Champion left', 1],
    ]);
  });

  it('labels a line without a label by its first pattern', () => {
    expect(parseSignals('pilot; proof of concept', 'where')[0]?.label).toBe('pilot');
  });

  it('names the line of a signal that has no patterns', () => {
    expect(
      ruleError(() => parseSignals('Fit: good fit\nEmpty: ;  ', 'Stage_Definition__mdt.Q.Exit_Signals__c'))
        .message,
    ).toMatch(/^Stage_Definition__mdt\.Q\.Exit_Signals__c, line 2: "Empty: ;" has no patterns$/);
  });
});

/** The evidence rules a Default Scribe_Setting__mdt record gives. */
const EVIDENCE = { weakSignalMentions: 2 };

describe('buildStageRules', () => {
  it('orders stages by sort order and parses every signal field', () => {
    const rules = buildStageRules(
      [
        record({
          developerName: 'Closed_Won',
          stageName: 'Closed Won',
          sortOrder: 9,
          isClosed: true,
          isWon: true,
          entrySignals: 'Signed: signed * contract',
        }),
        record(),
        record({
          developerName: 'Prospecting',
          stageName: 'Prospecting',
          sortOrder: 1,
          backwardSignals: 'Silent: went dark',
        }),
      ],
      EVIDENCE,
    );
    expect(rules.stages.map((s) => s.stageName)).toEqual(['Prospecting', 'Qualification', 'Closed Won']);
    expect(rules.stages[0]?.backwardSignals[0]?.label).toBe('Silent');
    expect(rules.stages[2]?.isWon).toBe(true);
  });

  it('names the record and field of an unknown insight', () => {
    const error = ruleError(() => buildStageRules([record({ exitSignals: 'Fit: @fit' })], EVIDENCE));
    expect(error.message).toMatch(
      /^Stage_Definition__mdt\.Qualification\.Exit_Signals__c, line 1: unknown insight "@fit"/,
    );
  });

  it('rejects two records for the same stage and an empty set', () => {
    expect(
      ruleError(() =>
        buildStageRules([record(), record({ developerName: 'Q2', stageName: 'qualification' })], EVIDENCE),
      ).message,
    ).toMatch(/two Stage_Definition__mdt records define "qualification"/);
    expect(ruleError(() => buildStageRules([], EVIDENCE)).message).toMatch(
      /no Stage_Definition__mdt records/,
    );
  });
});

describe('findStage', () => {
  it('finds a stage by name whatever the case and spacing', () => {
    const rules = buildStageRules([record()], EVIDENCE);
    expect(findStage(rules, '  qualification ')?.stageName).toBe('Qualification');
    expect(findStage(rules, 'Qualified')).toBeUndefined();
  });
});

describe('Language_Signals__c', () => {
  const rulesWith = (languageSignals: string) =>
    buildStageRules(
      [
        record({
          developerName: 'Closed_Won',
          stageName: 'Closed Won',
          isClosed: true,
          isWon: true,
          entrySignals: 'Contract signed: signed * contract',
          languageSignals,
        }),
      ],
      { weakSignalMentions: 2 },
    );

  it("adds a language's patterns to the signal it names, only for that language", () => {
    const rules = rulesWith('es | Contract signed: firm* * contrato\nzh | Contract signed: 签 * 合同');
    const patterns = (language: string) =>
      signalsInLanguage(rules, language).stages[0]!.entrySignals[0]!.patterns;
    expect(patterns('en')).toHaveLength(1);
    expect(patterns('es-MX')).toEqual([
      parsePattern('signed * contract', 'here'),
      parsePattern('firm* * contrato', 'here'),
    ]);
    // Chinese characters are words of their own, as the sentence tokenizer reads them.
    expect(patterns('zh')[1]).toEqual({
      kind: 'phrase',
      tokens: [
        { kind: 'word', text: '签' },
        { kind: 'gap' },
        { kind: 'word', text: '合' },
        { kind: 'word', text: '同' },
      ],
    });
  });

  it('rejects a line that names no signal of the stage, or is not "language | Label: patterns"', () => {
    expect(ruleError(() => rulesWith('es | Contract sent: firm* * contrato')).message).toBe(
      'Stage_Definition__mdt.Closed_Won.Language_Signals__c, line 1: "Contract sent" is not a signal of this stage; use one of "Contract signed"',
    );
    expect(
      ruleError(() => parseLanguageSignals('Contract signed: firmamos', 'here', ['Contract signed'])).message,
    ).toMatch(/^here, line 1: "Contract signed: firmamos" is not "language \| Label: pattern; pattern"/);
  });
});
