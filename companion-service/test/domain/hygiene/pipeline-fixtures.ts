import type { PipelineDataset, PipelineOpportunity } from '../../../src/domain/pipeline/records.js';

/** An open deal with nothing known but what a test sets. */
export function deal(id: string, fields: Partial<PipelineOpportunity> = {}): PipelineOpportunity {
  return {
    id,
    name: `Deal ${id}`,
    accountId: null,
    accountName: null,
    owner: null,
    product: null,
    stage: 'Qualification',
    isClosed: false,
    isWon: false,
    amount: null,
    probability: null,
    forecastCategory: null,
    createdDate: null,
    closeDate: null,
    lastActivityDate: null,
    stageEnteredDate: null,
    nextStep: null,
    nextStepDate: null,
    contactRoleCount: null,
    extra: {},
    ...fields,
  };
}

export function dataset(parts: Partial<PipelineDataset>): PipelineDataset {
  return { opportunities: [], history: [], contacts: [], engagement: [], conversations: [], ...parts };
}
