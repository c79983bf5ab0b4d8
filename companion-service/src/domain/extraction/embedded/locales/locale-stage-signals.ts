import { parsePattern, type StageRules } from '../../../stages/stage-rules.js';
import { lexiconFor } from './locales.js';

/**
 * The stage rules with the conversation's language's phrases added to the signals they translate,
 * matched by the signal's label in Stage_Definition__mdt ("Contract signed", "Budget frozen"). The
 * records keep deciding which stage a signal means and in which direction; the lexicon only says
 * how Spanish or Chinese says it. A label sales ops rename simply has no translation until the
 * lexicon names it too. Chinese phrases are matched character by character, as Chinese is tokenized.
 */
export function withLocaleSignals(rules: StageRules, language: string): StageRules {
  const lexicon = lexiconFor(language);
  if (!lexicon) return rules;
  const spaced = (phrase: string) =>
    lexicon.language === 'zh' ? phrase.replace(/(\p{Script=Han})/gu, ' $1 ').trim() : phrase;
  const translate = (signals: StageRules['stages'][number]['entrySignals'], where: string) =>
    signals.map((signal) => {
      const phrases = lexicon.stageSignals[signal.label];
      if (!phrases) return signal;
      return {
        ...signal,
        patterns: [
          ...signal.patterns,
          ...phrases.map((p) => parsePattern(spaced(p), `${where} (${lexicon.language} lexicon)`)),
        ],
      };
    });
  return {
    ...rules,
    stages: rules.stages.map((stage) => ({
      ...stage,
      entrySignals: translate(stage.entrySignals, `${stage.developerName} entry`),
      exitSignals: translate(stage.exitSignals, `${stage.developerName} exit`),
      backwardSignals: translate(stage.backwardSignals, `${stage.developerName} backward`),
    })),
  };
}
