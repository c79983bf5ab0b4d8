import { describe, expect, it } from 'vitest';
import { stateAsOf, UNKNOWN_STAGE } from '../../../src/domain/pipeline/state-as-of.js';
import type {
  OpportunityChange,
  PipelineDataset,
  PipelineOpportunity,
} from '../../../src/domain/pipeline/records.js';

const opp = (over: Partial<PipelineOpportunity> & { id: string; stage: string }): PipelineOpportunity => ({
  name: null,
  accountId: null,
  accountName: null,
  owner: null,
  product: null,
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
  ...over,
});
const change = (
  opportunityId: string,
  date: string,
  stage: string,
  over: Partial<OpportunityChange> = {},
) => ({
  opportunityId,
  date,
  stage,
  amount: null,
  closeDate: null,
  probability: null,
  forecastCategory: null,
  ...over,
});
const dataset = (
  opportunities: PipelineOpportunity[],
  history: OpportunityChange[] = [],
): PipelineDataset => ({
  opportunities,
  history,
  contacts: [],
  engagement: [],
  conversations: [],
});

describe('the pipeline at an as-of date, from history', () => {
  const won = opp({
    id: 'A',
    stage: 'Closed Won',
    isClosed: true,
    isWon: true,
    amount: 90,
    probability: 100,
    createdDate: '2026-01-01',
    closeDate: '2026-03-10',
    lastActivityDate: '2026-03-09',
    nextStep: 'kickoff',
  });
  const history = [
    change('A', '2026-03-10', 'Closed Won', { amount: 90, probability: 100, closeDate: '2026-03-10' }),
    change('A', '2026-01-01', 'Prospecting', { amount: 50, probability: 10, closeDate: '2026-04-30' }),
    change('A', '2026-02-01', 'Negotiation/Review', { amount: 80, probability: 90, closeDate: '2026-03-31' }),
  ];

  it('shows the stage, amount, close date and probability the deal had then, and nothing later', () => {
    const state = stateAsOf(dataset([won], history), '2026-02-15');
    expect(state.closed).toEqual([]);
    expect(state.open).toHaveLength(1);
    expect(state.open[0]!.opportunity).toMatchObject({
      stage: 'Negotiation/Review',
      isClosed: false,
      isWon: false,
      amount: 80,
      probability: 90,
      closeDate: '2026-03-31',
      stageEnteredDate: '2026-02-01',
      lastActivityDate: null,
      nextStep: null,
    });
  });

  it('counts a deal closed on the as-of date as closed, with its outcome', () => {
    const state = stateAsOf(dataset([won], history), '2026-03-10');
    expect(state.open).toEqual([]);
    expect(state.closed).toEqual([
      expect.objectContaining({ closedOn: '2026-03-10', won: true, openedOn: '2026-01-01' }),
    ]);
  });

  it('leaves out deals created after the as-of date, and history and activity after it', () => {
    const state = stateAsOf(dataset([won], history), '2025-12-31');
    expect(state.open).toEqual([]);
    expect(state.dataset.opportunities).toEqual([]);
    expect(stateAsOf(dataset([won], history), '2026-01-15').dataset.history).toHaveLength(1);
  });

  it('reads a same-day open and close as closed at the end of that day, whatever the file order', () => {
    const lost = opp({ id: 'B', stage: 'Closed Lost', isClosed: true, createdDate: '2026-02-24' });
    const rows = [change('B', '2026-02-24', 'Closed Lost'), change('B', '2026-02-24', 'Prospecting')];
    const state = stateAsOf(dataset([lost], rows), '2026-02-24');
    expect(state.closed.map((c) => c.won)).toEqual([false]);
  });

  it('keeps what was known: a deal won then reopened as lost was won at the earlier date', () => {
    const flipped = opp({ id: 'C', stage: 'Closed Lost', isClosed: true, createdDate: '2026-02-23' });
    const rows = [change('C', '2026-02-23', 'Closed Won'), change('C', '2026-03-07', 'Closed Lost')];
    expect(stateAsOf(dataset([flipped], rows), '2026-03-01').closed[0]).toMatchObject({ won: true });
    expect(stateAsOf(dataset([flipped], rows), '2026-03-07').closed[0]).toMatchObject({ won: false });
  });
});

describe('the pipeline at an as-of date, without history (maven-crm)', () => {
  it('a deal closed after the as-of date was open then, and its outcome and closing amount are hidden', () => {
    const lost = opp({
      id: 'L',
      stage: 'Lost',
      isClosed: true,
      amount: 0,
      createdDate: '2017-01-05',
      closeDate: '2017-04-02',
    });
    const state = stateAsOf(dataset([lost]), '2017-04-01');
    expect(state.open[0]!.opportunity).toMatchObject({
      stage: UNKNOWN_STAGE,
      isClosed: false,
      amount: null,
      closeDate: null,
    });
    expect(state.open[0]!.stageKnown).toBe(false);
    expect(stateAsOf(dataset([lost]), '2017-04-02').closed).toHaveLength(1);
  });

  it('leaves out undated deals (maven Prospecting) before the export date and counts them from it', () => {
    const dated = opp({
      id: 'D',
      stage: 'Won',
      isClosed: true,
      isWon: true,
      createdDate: '2017-01-01',
      closeDate: '2017-12-31',
    });
    const prospect = opp({ id: 'P', stage: 'Prospecting' });
    expect(stateAsOf(dataset([dated, prospect]), '2017-06-01')).toMatchObject({
      undatedLeftOut: 1,
      open: [expect.anything()],
    });
    const atExport = stateAsOf(dataset([dated, prospect]), '2017-12-31');
    expect(atExport.open.map((o) => o.opportunity.id)).toEqual(['P']);
    expect(atExport.undatedLeftOut).toBe(0);
  });

  it('never shows an outcome dated after the as-of date, at any date (property over the maven rules)', () => {
    const deals = Array.from({ length: 60 }, (_, i) => {
      const start = `2017-0${1 + (i % 6)}-1${i % 10}`;
      const closed = i % 3 !== 0;
      const end = `2017-0${Math.min(9, 2 + (i % 6) + (i % 3))}-0${1 + (i % 9)}`;
      return opp({
        id: `M${i}`,
        stage: closed ? (i % 2 ? 'Won' : 'Lost') : 'Engaging',
        isClosed: closed,
        isWon: closed && i % 2 === 1,
        amount: closed ? (i % 2 ? 100 : 0) : null,
        createdDate: start,
        closeDate: closed ? end : null,
      });
    });
    for (const asOf of ['2017-01-31', '2017-03-15', '2017-05-01', '2017-07-20', '2017-09-30']) {
      const state = stateAsOf(dataset(deals), asOf);
      for (const c of state.closed) expect(c.closedOn <= asOf).toBe(true);
      for (const o of state.open) {
        expect(o.opportunity.isClosed).toBe(false);
        expect(o.openedOn! <= asOf).toBe(true);
        const now = deals.find((d) => d.id === o.opportunity.id)!;
        if (now.isClosed) expect(o.opportunity.amount).toBeNull();
      }
      expect(state.open.length + state.closed.length).toBe(
        deals.filter((d) => d.createdDate! <= asOf).length,
      );
    }
  });
});
