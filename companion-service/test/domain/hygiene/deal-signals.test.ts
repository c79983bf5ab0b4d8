import { beforeAll, describe, expect, it } from 'vitest';
import { loadPipelineRules } from '../../../src/adapters/metadata/package-metadata.js';
import { indexPipeline } from '../../../src/domain/hygiene/deal-facts.js';
import { evaluateDeal } from '../../../src/domain/hygiene/deal-signals.js';
import type { PipelineRules } from '../../../src/domain/hygiene/pipeline-rules.js';
import { buildRiskRules, type RiskRule } from '../../../src/domain/risk/risk-rules.js';
import type { PipelineDataset } from '../../../src/domain/pipeline/records.js';
import { dataset, deal } from './pipeline-fixtures.js';

let rules: PipelineRules;
beforeAll(async () => {
  rules = await loadPipelineRules();
});

const AS_OF = '2026-03-31';
function signalsOf(data: PipelineDataset, id: string, with_ = rules) {
  const index = indexPipeline(data, with_.stages, AS_OF);
  return evaluateDeal(index.byId.get(id)!, index, with_);
}
const flagged = (data: PipelineDataset, id: string) =>
  signalsOf(data, id)
    .findings.map((f) => f.signal)
    .sort();

describe('hygiene flags from the package rules', () => {
  it('flags a deal with no activity past the Stale threshold and says when it was last touched', () => {
    const { findings } = signalsOf(
      dataset({ opportunities: [deal('A', { lastActivityDate: '2026-03-10' })] }),
      'A',
    );
    const stale = findings.find((f) => f.signal === 'Stale')!;
    expect(stale.evidence).toBe(
      'No activity for 21 days (more than 14): last touch 2026-03-10, last activity on the record.',
    );
    expect(stale.action).toBe('Re-engage');
    expect(stale.rule).toBe('Risk_Rule__mdt.Stale');
    expect(findings.some((f) => f.signal === 'Zombie')).toBe(false);
  });

  it('does not flag staleness at exactly the threshold, and counts the latest touch of any kind', () => {
    const data = dataset({
      opportunities: [
        deal('A', { lastActivityDate: '2026-01-02' }),
        deal('B', { lastActivityDate: '2026-03-17' }),
      ],
      engagement: [{ opportunityId: 'A', date: '2026-03-25', kind: 'Proposal_Opened', contactId: null }],
    });
    expect(flagged(data, 'A')).not.toContain('Stale');
    expect(flagged(data, 'B')).not.toContain('Stale');
  });

  it('calls a deal with nothing for more than 60 days a zombie to close out', () => {
    const { findings } = signalsOf(
      dataset({ opportunities: [deal('A', { createdDate: '2025-12-01' })] }),
      'A',
    );
    const zombie = findings.find((f) => f.signal === 'Zombie')!;
    expect(zombie.action).toBe('Close Out');
    expect(zombie.facts.daysSinceTouch).toBe(120);
  });

  it('never flags on unknown inputs: a deal with no dates, no columns and no history has no findings', () => {
    const result = signalsOf(dataset({ opportunities: [deal('A')] }), 'A');
    expect(result.findings).toEqual([]);
    expect(result.unjudged).toEqual(
      expect.arrayContaining(['Stale', 'Zombie', 'Close_Date_Passed', 'No_Next_Step', 'Single_Threaded']),
    );
  });

  it('tells a blank next step (the column is there) from an unknown one (the export has no such column)', () => {
    const opportunities = [deal('A', { lastActivityDate: AS_OF })];
    expect(flagged(dataset({ opportunities }), 'A')).not.toContain('No_Next_Step');
    expect(flagged(dataset({ opportunities, knownFields: ['nextStep'] }), 'A')).toContain('No_Next_Step');
    expect(flagged(dataset({ opportunities: [deal('A', { nextStep: '  ' })] }), 'A')).toContain(
      'No_Next_Step',
    );
  });

  it('flags a close date in the past with how many days ago', () => {
    const { findings } = signalsOf(
      dataset({ opportunities: [deal('A', { closeDate: '2026-03-01', lastActivityDate: AS_OF })] }),
      'A',
    );
    expect(findings.map((f) => f.evidence)).toContain(
      'Close date 2026-03-01 passed 30 days ago and the deal is still open.',
    );
  });

  it('flags days in stage past twice the expected days of the Stage_Definition', () => {
    // Qualification expects 14 days: 28 is fine, 29 is stuck.
    const data = dataset({
      opportunities: [
        deal('A', { stageEnteredDate: '2026-03-03', lastActivityDate: AS_OF }),
        deal('B', { stageEnteredDate: '2026-03-02', lastActivityDate: AS_OF }),
      ],
    });
    expect(flagged(data, 'A')).not.toContain('Stuck_In_Stage');
    const stuck = signalsOf(data, 'B').findings.find((f) => f.signal === 'Stuck_In_Stage')!;
    expect(stuck.evidence).toContain(
      'In Qualification for 29 days since 2026-03-02, over 2x (expected 14 days',
    );
  });

  it("judges a stage the metadata does not define against the org's own history", () => {
    const history = ['1', '2', '3', '4', '5'].flatMap((n) => [
      {
        opportunityId: `C${n}`,
        date: '2026-01-01',
        stage: 'Engaging',
        amount: null,
        closeDate: null,
        probability: null,
        forecastCategory: null,
      },
      {
        opportunityId: `C${n}`,
        date: '2026-01-11',
        stage: 'Closed Won',
        amount: null,
        closeDate: null,
        probability: null,
        forecastCategory: null,
      },
    ]);
    const closed = ['1', '2', '3', '4', '5'].map((n) =>
      deal(`C${n}`, { stage: 'Closed Won', isClosed: true, isWon: true }),
    );
    const data = dataset({
      opportunities: [
        ...closed,
        deal('A', { stage: 'Engaging', stageEnteredDate: '2026-03-01', lastActivityDate: AS_OF }),
      ],
      history,
    });
    const stuck = signalsOf(data, 'A').findings.find((f) => f.signal === 'Stuck_In_Stage')!;
    expect(stuck.evidence).toContain("this org's deals stayed 10 days on average over 5 stays");
  });

  it('finds skipped stages and pushed close dates in the history', () => {
    const row = (date: string, stage: string, closeDate: string) => ({
      opportunityId: 'A',
      date,
      stage,
      closeDate,
      amount: null,
      probability: null,
      forecastCategory: null,
    });
    const data = dataset({
      opportunities: [deal('A', { stage: 'Value Proposition', lastActivityDate: AS_OF })],
      history: [
        row('2026-03-01', 'Prospecting', '2026-04-01'),
        row('2026-03-10', 'Qualification', '2026-05-01'),
        row('2026-03-20', 'Value Proposition', '2026-06-01'),
      ],
    });
    const { findings } = signalsOf(data, 'A');
    const skipped = findings.find((f) => f.signal === 'Skipped_Stage')!;
    expect(skipped.facts.skippedStages).toEqual(['Needs Analysis']);
    const slipped = findings.find((f) => f.signal === 'Close_Date_Slipped')!;
    expect(slipped.evidence).toContain('pushed out 2 times (at least 2): from 2026-04-01 to 2026-06-01');
  });

  it('scores completeness against the fields the stage requires, judging only columns the export carries', () => {
    const data = dataset({
      opportunities: [
        deal('A', {
          stage: 'Negotiation/Review',
          accountName: 'Acme',
          amount: 1000,
          lastActivityDate: AS_OF,
        }),
      ],
      knownFields: ['accountName', 'amount', 'closeDate', 'nextStep'],
    });
    const { completeness, findings } = signalsOf(data, 'A');
    expect(completeness!.checked).toEqual(['accountId', 'closeDate', 'amount', 'nextStep']);
    expect(completeness!.missing).toEqual(['closeDate', 'nextStep']);
    expect(completeness!.score).toBe(0.5);
    expect(findings.find((f) => f.signal === 'Missing_Fields')!.evidence).toBe(
      'Negotiation/Review requires Close Date, Next Step: blank (2 of 4 required fields filled).',
    );
  });

  it('flags one contact role as single-threaded, and only when the count is known', () => {
    expect(
      flagged(dataset({ opportunities: [deal('A', { contactRoleCount: 1, lastActivityDate: AS_OF })] }), 'A'),
    ).toContain('Single_Threaded');
    expect(
      flagged(dataset({ opportunities: [deal('A', { contactRoleCount: 2, lastActivityDate: AS_OF })] }), 'A'),
    ).not.toContain('Single_Threaded');
  });

  it('reads conversation signals: competitors, pricing objections and a silent champion', () => {
    const data = dataset({
      opportunities: [deal('A', { lastActivityDate: AS_OF })],
      conversations: [
        {
          opportunityId: 'A',
          date: '2026-02-01',
          competitors: [],
          pricingObjection: false,
          customerSpeakers: ['Dana Lee'],
          champion: 'Dana Lee',
        },
        {
          opportunityId: 'A',
          date: '2026-03-20',
          competitors: ['Gong'],
          pricingObjection: true,
          customerSpeakers: ['Sam Roe'],
          champion: 'Dana Lee',
        },
      ],
    });
    const { findings } = signalsOf(data, 'A');
    expect(findings.map((f) => f.signal)).toEqual(
      expect.arrayContaining(['Competitor_Present', 'Pricing_Objection', 'Champion_Silent']),
    );
    expect(findings.find((f) => f.signal === 'Champion_Silent')!.evidence).toBe(
      'Dana Lee, the champion, last spoke or wrote on 2026-02-01: 58 days ago (more than 21).',
    );
  });

  it('drops both the flag and its points when sales ops disable the rule', () => {
    const records: RiskRule[] = [...rules.risk.bySignal.values()].map((r) =>
      r.signal === 'Stale' ? { ...r, isEnabled: false } : r,
    );
    const without = { ...rules, risk: buildRiskRules(records) };
    const data = dataset({ opportunities: [deal('A', { lastActivityDate: '2026-03-01' })] });
    expect(signalsOf(data, 'A', without).findings.map((f) => f.signal)).not.toContain('Stale');
    expect(without.risk.notChecked).toContain('Stale');
  });

  it('ignores whatever is dated after the as-of date', () => {
    const data = dataset({
      opportunities: [deal('A', { lastActivityDate: '2026-03-01' })],
      engagement: [{ opportunityId: 'A', date: '2026-04-15', kind: 'Proposal_Opened', contactId: null }],
    });
    expect(flagged(data, 'A')).toContain('Stale');
  });
});
