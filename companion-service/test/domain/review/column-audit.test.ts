import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadPipelineRules } from '../../../src/adapters/metadata/package-metadata.js';
import { readHistory, readOpportunities } from '../../../src/adapters/csv/read-pipeline-csv.js';
import { readPipelineExport } from '../../../src/adapters/csv/read-pipeline-columns.js';
import type { PipelineRules } from '../../../src/domain/hygiene/pipeline-rules.js';
import type { PipelineDataset } from '../../../src/domain/pipeline/records.js';
import { columnsOf } from '../../../src/domain/pipeline/pipeline-columns.js';
import { stateAsOf } from '../../../src/domain/pipeline/state-as-of.js';
import { addDays } from '../../../src/domain/hygiene/calendar-days.js';
import { auditPipeline } from '../../../src/domain/review/pipeline-audit.js';
import { auditColumns } from '../../../src/domain/review/column-audit.js';
import { generatePipeline } from '../../../bench/generate-pipeline.js';
import { SHARED_DATA, withSharedData } from '../../support/shared-data.js';

/**
 * The audit the column engines make against the one the object engines made before it: the same
 * report, field for field, on generated pipelines and on the shared real exports read both ways.
 */

const money = (n: number) => `$${n.toLocaleString('en-US')}`;
let rules: PipelineRules;
beforeAll(async () => {
  rules = await loadPipelineRules();
});

function objectAudit(data: PipelineDataset, asOf: string, probabilities?: ReadonlyMap<string, number>) {
  const now = stateAsOf(data, asOf);
  const weekAgo = stateAsOf(data, addDays(asOf, -7));
  return {
    audit: auditPipeline({
      dataset: now.dataset,
      rules,
      asOf,
      weekAgo: weekAgo.dataset,
      formatMoney: money,
      probabilities,
    }),
    undatedLeftOut: now.undatedLeftOut,
  };
}

describe('the audit over columns', () => {
  it.each([
    ['as of the data', '2026-03-31', 0],
    ['a month before', '2026-02-28', 1],
    ['long after (every deal stale)', '2026-09-30', 2],
  ])('reports a generated pipeline as the object engines do, %s', (_label, asOf, seed) => {
    const data = generatePipeline(400, rules.stages, '2026-03-31', { revisions: true, seed: 11 + seed });
    // Blanks and an unknown stage, so the completeness and undefined-stage lines are compared too.
    data.opportunities.forEach((o, i) => {
      if (i % 9 === 0) o.nextStep = '';
      if (i % 13 === 0) o.stage = 'Legal Review';
    });
    const probabilities = new Map(data.opportunities.map((o, i) => [o.id, (i % 10) / 10]));
    const expected = objectAudit(data, asOf, probabilities);
    const columns = auditColumns({
      columns: columnsOf(data),
      rules,
      asOf,
      formatMoney: money,
      probabilities,
    });
    expect({ audit: columns.audit, undatedLeftOut: columns.undatedLeftOut }).toEqual(expected);
    expect(columns.audit.totals.flagged).toBeGreaterThan(0);
    expect(columns.audit.queues.length).toBeGreaterThan(0);
  });

  it.runIf(withSharedData).each([
    ['maven-crm', 'maven-crm/sales_pipeline.csv', null, '2017-12-31'],
    [
      'the Salesforce export with its history',
      'salesforce-dev-org/Opportunity.csv',
      'salesforce-dev-org/OpportunityHistory.csv',
      '2026-03-31',
    ],
  ])(
    'reports %s read into columns as the record readers and object engines did',
    async (_l, file, history, asOf) => {
      const opportunities = path.join(SHARED_DATA, file);
      const historyFile = history === null ? undefined : path.join(SHARED_DATA, history);
      const records = await readOpportunities(opportunities);
      const data = {
        ...records,
        history: [...records.history, ...(historyFile ? await readHistory(historyFile) : [])],
      };
      const exported = await readPipelineExport(opportunities, { historyFile });
      const columns = auditColumns({ columns: exported.columns, rules, asOf, formatMoney: money });
      expect({ audit: columns.audit, undatedLeftOut: columns.undatedLeftOut }).toEqual(
        objectAudit(data, asOf),
      );
      expect(exported.opportunityRows).toBe(records.opportunities.length);
      expect(columns.audit.totals.open).toBeGreaterThan(0);
    },
  );
});
