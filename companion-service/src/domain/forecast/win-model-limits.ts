import type { FeatureEncoder } from './feature-encoder.js';
import { NO_STRING } from '../pipeline/string-pool.js';
import type { WinTraining } from './win-model.js';

/**
 * What a pipeline could not teach the win model, in words a sales ops lead can check against the
 * export, each with what the forecast does instead. The forecast prints these; a model that falls
 * back to the base rate without saying so looks like one that learned the base rate was right.
 */
export function whatWasNotLearned(
  training: WinTraining,
  encoder: FeatureEncoder,
  chosen: { groups: boolean; lambda: number | null },
  crossValidated: boolean,
): string[] {
  const closed = training.closed.count;
  if (closed === 0) {
    return [
      'no deal had closed by the as-of date, so there is no win rate to learn: every open deal gets 50%, the uninformed prior',
    ];
  }
  if (training.examples.count === 0) {
    return [
      `none of the ${closed} closed deals was open at a training date (${training.maturityDays} or more days before the as-of date), so nothing about stage, rep or deal can be learned yet: every open deal gets the base rate`,
    ];
  }
  const notes: string[] = [];
  const rejected = encoder.groups.filter((g) => g.penalty !== null && !chosen.groups);
  if (rejected.length > 0) {
    notes.push(
      `${rejected.map((g) => (g.factor === 'owner' ? 'rep' : g.factor)).join(' and ')} win rates differed among the closed deals but did no better than the base rate on later held-out snapshots: left out`,
    );
  }
  for (const g of encoder.groups) {
    const name = g.factor === 'owner' ? 'rep' : g.factor;
    if (g.groups === 0) notes.push(`no deal records a ${name}: ${name} cannot move a probability`);
    else if (g.groups === 1) {
      const { examples } = training;
      const levels = examples[g.factor];
      let r = 0;
      while (levels[r] === NO_STRING) r++;
      const only = examples.names.value(levels[r]!);
      notes.push(`every training deal has the same ${name} (${only}), so ${name} cannot move a probability`);
    } else if (g.penalty === null) {
      notes.push(
        `the ${g.groups} ${name === 'rep' ? 'reps' : `${name}s`}' win rates differ no more than chance would make them: ${name} is left out`,
      );
    }
  }
  if (chosen.lambda === null) {
    notes.push(
      crossValidated
        ? 'age, time in stage, engagement recency and amount did no better than stage, rep and product on later held-out snapshots: they are left out'
        : 'too few training dates and closed deals to test age, time in stage, engagement recency and amount on later ones: they are left out',
    );
  }
  return notes;
}
