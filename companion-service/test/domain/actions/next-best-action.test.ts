import { describe, expect, it } from 'vitest';
import {
  AmountScale,
  buildActionQueues,
  type ActionCandidate,
} from '../../../src/domain/actions/next-best-action.js';
import type { Finding } from '../../../src/domain/hygiene/deal-signals.js';
import { deal } from '../hygiene/pipeline-fixtures.js';

const money = (n: number) => `$${n.toLocaleString('en-US')}`;
const AS_OF = '2026-03-31';
/** As the package's Scribe_Setting.Default ships them. */
const TIMING = { dueSoonDays: 2, dueThisWeekDays: 7, fullSilenceDays: 30 };

const finding = (signal: Finding['signal'], weight: number, action: Finding['action']): Finding => ({
  signal,
  rule: `Risk_Rule__mdt.${signal}`,
  label: signal.replace(/_/g, ' '),
  category: 'Hygiene',
  weight,
  action,
  evidence: `${signal} evidence.`,
  facts: {},
});

const candidate = (
  id: string,
  owner: string,
  amount: number | null,
  findings: Finding[],
  extra = {},
): ActionCandidate => ({
  opportunity: deal(id, { owner, amount, ...extra }),
  findings,
  risk: Math.min(
    100,
    findings.reduce((s, f) => s + f.weight, 0),
  ),
  lastTouch: { date: '2026-03-01', day: 0, source: 'activity', detail: 'x' },
});

describe('next-best-action queue', () => {
  it('ranks each rep’s deals by risk and value, and says why with the numbers', () => {
    const queues = buildActionQueues(
      [
        candidate('small-risky', 'Ana', 1_000, [
          finding('Zombie', 25, 'Close Out'),
          finding('Stale', 20, 'Re-engage'),
        ]),
        candidate('big-risky', 'Ana', 90_000, [
          finding('Stale', 20, 'Re-engage'),
          finding('Close_Date_Passed', 15, 'Update Close Date'),
        ]),
        candidate('healthy', 'Ana', 50_000, []),
        candidate('other-rep', 'Ben', 10_000, [finding('No_Next_Step', 10, 'Add Next Step')]),
      ],
      AS_OF,
      money,
      TIMING,
    );
    expect(queues.map((q) => q.owner)).toEqual(['Ana', 'Ben']);
    const ana = queues[0]!.actions;
    expect(ana.map((a) => [a.rank, a.opportunityId, a.action])).toEqual([
      [1, 'big-risky', 'Re-engage'],
      [2, 'small-risky', 'Close Out'],
    ]);
    expect(ana[0]!.why).toBe(
      'Risk 35/100 (Stale +20); Stale evidence; $90,000, larger than 100% of open deals.',
    );
    expect(ana[0]!.rules).toEqual(['Risk_Rule__mdt.Stale']);
  });

  it('asks for a follow-up on an unflagged deal only when its next step is due', () => {
    const queues = buildActionQueues(
      [
        candidate('due', 'Ana', 5_000, [], { nextStep: 'Send the order form', nextStepDate: '2026-04-01' }),
        candidate('later', 'Ana', 5_000, [], { nextStep: 'Kickoff', nextStepDate: '2026-05-01' }),
      ],
      AS_OF,
      money,
      TIMING,
    );
    expect(queues[0]!.actions.map((a) => a.opportunityId)).toEqual(['due']);
    expect(queues[0]!.actions[0]!.why).toContain('"Send the order form" is due in 1 days (2026-04-01)');
    expect(queues[0]!.actions[0]!.dueDate).toBe('2026-04-01');
  });

  it('counts a next step as due by the days sales ops set', () => {
    const dueTomorrow = [
      candidate('tomorrow', 'Ana', 5_000, [], {
        nextStep: 'Send the order form',
        nextStepDate: '2026-04-01',
      }),
    ];
    const strict = buildActionQueues(dueTomorrow, AS_OF, money, { ...TIMING, dueSoonDays: 0 });
    expect(strict).toEqual([]);
    const lenient = buildActionQueues(dueTomorrow, AS_OF, money, TIMING);
    expect(lenient[0]!.actions.map((a) => a.action)).toEqual(['Follow Up']);
  });

  it('breaks ties by amount, then close date, then id, whatever the input order', () => {
    const same = [finding('Stale', 20, 'Re-engage')];
    const inputs = [
      candidate('b', 'Ana', null, same, { closeDate: '2026-05-01' }),
      candidate('a', 'Ana', null, same, { closeDate: '2026-05-01' }),
      candidate('c', 'Ana', null, same, { closeDate: '2026-04-15' }),
    ];
    const order = (list: ActionCandidate[]) =>
      buildActionQueues(list, AS_OF, money, TIMING)[0]!.actions.map((a) => a.opportunityId);
    expect(order(inputs)).toEqual(['c', 'a', 'b']);
    expect(order([...inputs].reverse())).toEqual(['c', 'a', 'b']);
  });

  it('places amounts as percentiles, with an unknown amount at the median', () => {
    const scale = new AmountScale([10, 20, 30, 40, 50, null]);
    expect(scale.percentile(10)).toBe(0);
    expect(scale.percentile(50)).toBe(1);
    expect(scale.percentile(null)).toBe(0.5);
    expect(scale.median).toBe(30);
  });
});
