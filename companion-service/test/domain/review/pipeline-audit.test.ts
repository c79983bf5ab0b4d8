import { beforeAll, describe, expect, it } from 'vitest';
import { loadPipelineRules } from '../../../src/adapters/metadata/package-metadata.js';
import type { PipelineRules } from '../../../src/domain/hygiene/pipeline-rules.js';
import { auditPipeline } from '../../../src/domain/review/pipeline-audit.js';
import { dataset, deal } from '../hygiene/pipeline-fixtures.js';

let rules: PipelineRules;
beforeAll(async () => {
  rules = await loadPipelineRules();
});
const money = (n: number) => `$${n.toLocaleString('en-US')}`;

describe('pipeline audit and weekly review', () => {
  const opportunities = [
    deal('dead', { owner: 'Ana', amount: 40_000, createdDate: '2025-10-01' }),
    deal('slipping', {
      owner: 'Ana',
      amount: 80_000,
      lastActivityDate: '2026-03-10',
      closeDate: '2026-03-20',
      nextStep: 'Call',
    }),
    deal('fine', {
      owner: 'Ben',
      amount: 20_000,
      lastActivityDate: '2026-03-30',
      closeDate: '2026-05-01',
      nextStep: 'Demo',
    }),
    deal('won', { owner: 'Ben', stage: 'Closed Won', isClosed: true, isWon: true, closeDate: '2026-02-01' }),
  ];

  it('counts flags, lists the deals to close out and the ones to focus on, and shows the weekly trend', () => {
    const weekAgo = dataset({
      opportunities: opportunities.map((o) =>
        o.id === 'slipping' ? { ...o, lastActivityDate: '2026-03-10', closeDate: '2026-04-20' } : o,
      ),
    });
    const audit = auditPipeline({
      dataset: dataset({ opportunities, knownFields: ['nextStep'] }),
      rules,
      asOf: '2026-03-31',
      weekAgo,
      formatMoney: money,
    });

    expect(audit.totals).toEqual({ opportunities: 4, open: 3, closed: 1, flagged: 2 });
    expect(audit.flagCounts.find((f) => f.signal === 'Zombie')!.deals).toBe(1);
    expect(audit.review.closeOut.map((c) => c.opportunityId)).toEqual(['dead']);
    expect(audit.review.focus[0]!.opportunityId).toBe('slipping');
    expect(audit.review.focus[0]!.why).toMatch(
      /^Worth \$80,000, closing 2026-03-20, risk 35\/100, up 35 this week: No activity for 21 days/,
    );

    const slipping = audit.deals.find((d) => d.opportunityId === 'slipping')!;
    expect(slipping.trend).toMatchObject({ previous: 0, change: 35, added: ['Stale', 'Close date passed'] });
    const statuses = Object.fromEntries(audit.review.deals.map((d) => [d.opportunityId, d.status]));
    expect(statuses).toEqual({ dead: 'Close out', slipping: 'Watch', fine: 'On track' });
    expect(audit.review.deals.find((d) => d.opportunityId === 'fine')!.confidence).toEqual({
      probability: 0.1,
      basis: 'stage default',
    });
    expect(audit.queues.map((q) => q.owner)).toEqual(['Ana']);
  });

  it('warns when the as-of date is far past the data, naming the date to use', () => {
    const audit = auditPipeline({
      dataset: dataset({ opportunities }),
      rules,
      asOf: '2027-01-01',
      weekAgo: null,
      formatMoney: money,
    });
    expect(audit.lastDataDate).toBe('2026-03-30');
    expect(audit.warnings[0]).toContain('pass --as-of 2026-03-30');
  });

  it('names stages the metadata does not define', () => {
    const audit = auditPipeline({
      dataset: dataset({ opportunities: [deal('x', { stage: 'Engaging', lastActivityDate: '2026-03-30' })] }),
      rules,
      asOf: '2026-03-31',
      weekAgo: null,
      formatMoney: money,
    });
    expect(audit.undefinedStages).toEqual([{ stage: 'Engaging', deals: 1 }]);
    expect(audit.warnings.join(' ')).toContain(
      'Stage "Engaging" (1 open deals) has no Stage_Definition__mdt record',
    );
  });
});
