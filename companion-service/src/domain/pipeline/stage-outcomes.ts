import type { OpportunityChange, PipelineOpportunity } from './records.js';

export type StageOutcome = 'won' | 'lost' | 'open';

const WON_NAME = /^(closed[\s_/-]*)?won$/i;
const LOST_NAME = /^(closed[\s_/-]*)?lost$/i;

/**
 * Whether a stage name is a closed-won, closed-lost or open stage. History rows carry only the
 * stage's name, so the answer comes from the opportunities that sit in that stage now (their
 * IsClosed/IsWon), then from the name ("Closed Won", maven's "Lost"), then from a forecast category
 * of Closed (won) or Omitted at probability 0 (lost).
 */
export function stageOutcomes(
  opportunities: readonly Pick<PipelineOpportunity, 'stage' | 'isClosed' | 'isWon'>[],
): (stage: string, change?: Pick<OpportunityChange, 'forecastCategory' | 'probability'>) => StageOutcome {
  const known = new Map<string, StageOutcome>();
  for (const o of opportunities) {
    if (!known.has(o.stage)) known.set(o.stage, o.isClosed ? (o.isWon ? 'won' : 'lost') : 'open');
  }
  return (stage, change) => {
    const seen = known.get(stage);
    if (seen) return seen;
    if (WON_NAME.test(stage.trim())) return 'won';
    if (LOST_NAME.test(stage.trim())) return 'lost';
    const category = change?.forecastCategory?.toLowerCase();
    if (category === 'closed') return 'won';
    if (category === 'omitted' && change?.probability === 0) return 'lost';
    return 'open';
  };
}
