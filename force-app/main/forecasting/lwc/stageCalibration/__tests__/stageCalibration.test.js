import StageCalibration from 'c/stageCalibration';
import getLatestCalibration from '@salesforce/apex/StageCalibrationController.getLatestCalibration';
import { refreshApex } from '@salesforce/apex';
import { click, flush, itShowsPanelStates, mount, navigations } from 'lwc-test-helpers';

const report = require('./data/getLatestCalibration.json');

jest.mock('@salesforce/apex', () => ({ refreshApex: jest.fn(() => Promise.resolve()) }), { virtual: true });

jest.mock('lightning/navigation', () => require('lwc-test-helpers').navigationModule());

describe('c-stage-calibration', () => {
  afterEach(() => {
    jest.clearAllMocks();
  });

  const render = async (data) =>
    (await mount(StageCalibration, { wire: getLatestCalibration, data })).element;

  const rows = (element) => [...element.shadowRoot.querySelectorAll('tbody tr')];
  const cell = (row, selector) => row.querySelector(selector).textContent.trim();
  const rowOf = (element, stageName) => rows(element).find((row) => cell(row, '.stage-name') === stageName);

  itShowsPanelStates(StageCalibration, {
    wire: getLatestCalibration,
    loading: 'Loading the stage calibration report',
    error: 'Could not load the stage calibration report',
  });

  it('lists every stage in the order of the sales process with stated, realized, interval, n and suggestion', async () => {
    const element = await render(report);

    expect(rows(element).map((row) => cell(row, '.stage-name'))).toEqual(
      report.stages.map((stage) => stage.stageName),
    );
    const negotiation = rowOf(element, 'Negotiation/Review');
    expect(
      ['.stated', '.realized', '.interval', '.sample-size', '.suggested'].map((selector) =>
        cell(negotiation, selector),
      ),
    ).toEqual(['90%', '61%', '52–69%', '120', '61%']);
    const headers = [...element.shadowRoot.querySelectorAll('thead th')].map((th) => th.textContent);
    expect(headers.join(', ')).toBe(
      'Stage, Stated, Realized, 95% interval, Closed deals, Suggested, Verdict',
    );
    await expect(element).toBeAccessible();
  });

  it('says in words what each stage promises and how often it delivers', async () => {
    const element = await render(report);

    const negotiation = rowOf(element, 'Negotiation/Review');
    expect(cell(negotiation, '.verdict-text')).toBe('Says 90%, closes 61% of the time (n=120, 52–69%)');
    expect(negotiation.querySelector('.judgement').label).toBe('Too optimistic');
    expect(rowOf(element, 'Qualification').querySelector('.judgement').label).toBe('Too cautious');
    // 75% stated, 61–75% realized: the stated probability is inside the interval.
    expect(rowOf(element, 'Proposal/Price Quote').querySelector('.judgement').label).toBe('About right');
  });

  it('marks a stage with too few closed deals as not enough data, and suggests nothing for it', async () => {
    const element = await render(report);

    const perception = rowOf(element, 'Perception Analysis');
    expect(perception.classList).toContain('not-enough-data');
    expect(perception.querySelector('.judgement').label).toBe('Not enough data');
    expect(cell(perception, '.suggested')).toBe('');
    expect(cell(perception, '.verdict-text')).toBe('Says 70%, closes 58% of the time (n=12, 32–81%)');
    expect(cell(perception, '.note')).toBe(
      'Only 12 closed deals reached this stage; a probability is suggested from 30.',
    );
    expect(element.shadowRoot.querySelectorAll('tr.not-enough-data')).toHaveLength(1);
  });

  it('says a stage no closed deal has reached yet has nothing to show', async () => {
    const empty = {
      ...report.stages[0],
      sampleSize: 0,
      wonCount: 0,
      realizedWinRate: null,
      hasEnoughData: false,
    };
    const element = await render({ ...report, stages: [empty] });

    expect(cell(rows(element)[0], '.verdict-text')).toBe(
      'Says 10%; no closed deals have reached this stage yet',
    );
    expect(cell(rows(element)[0], '.realized')).toBe('');
  });

  it('shows when the stage rule changed since the report was computed', async () => {
    const element = await render(report);

    expect(cell(rowOf(element, 'Proposal/Price Quote'), '.rule-now')).toBe('Stage rule now says 70%');
    expect(rowOf(element, 'Negotiation/Review').querySelector('.rule-now')).toBeNull();
  });

  it('scores the model against the base rate and dates the run', async () => {
    const element = await render(report);

    const text = (selector) =>
      element.shadowRoot.querySelector(selector).textContent.replace(/\s+/g, ' ').trim();
    expect(text('.model-brier')).toBe(
      '0.182 against 0.190 for the base rate: 4% better than always guessing the base rate (lower is better)',
    );
    expect(text('.calibration-error')).toBe('0.031');
    expect(text('.base-win-rate')).toBe('42%');
    expect(element.shadowRoot.querySelector('.evaluated lightning-formatted-number').value).toBe(2410);
    expect(element.shadowRoot.querySelector('.as-of').value).toBe('2026-03-01');
    expect(element.shadowRoot.querySelector('.computed-at').value).toBe('2026-03-02T06:00:00.000Z');
    expect(text('.model-version')).toBe('forecast 1.0.0');
  });

  it('says plainly when the model does worse than the base rate', async () => {
    const element = await render({ ...report, modelBrierScore: 0.2, baseRateBrierScore: 0.19 });

    expect(element.shadowRoot.querySelector('.model-brier').textContent).toContain(
      '5% worse than always guessing the base rate',
    );
  });

  it('explains how to produce a report when there is none', async () => {
    const element = await render({ runId: null, stages: [] });

    expect(element.shadowRoot.querySelector('table')).toBeNull();
    const empty = element.shadowRoot.querySelector('.empty').textContent;
    expect(empty).toContain('No calibration report yet');
    expect(empty).toContain('scheduled scan');
    expect(element.shadowRoot.querySelector('.command').textContent.trim()).toBe(
      'npx scribe forecast --opportunities opportunities.csv --history history.csv --as-of YYYY-MM-DD',
    );
    await expect(element).toBeAccessible();
  });

  it('shows neither the report nor how to produce one while it loads or when it cannot load', async () => {
    const element = await render();
    expect([element.shadowRoot.querySelector('table'), element.shadowRoot.querySelector('.empty')]).toEqual([
      null,
      null,
    ]);

    getLatestCalibration.error({ message: 'no access' });
    await flush();
    expect([element.shadowRoot.querySelector('table'), element.shadowRoot.querySelector('.empty')]).toEqual([
      null,
      null,
    ]);
  });

  it('asks the org again on Refresh', async () => {
    const element = await render(report);

    await click(element, 'lightning-button.refresh');

    expect(refreshApex).toHaveBeenCalledTimes(1);
    expect(refreshApex.mock.calls[0][0].data).toEqual(report);
  });

  it('opens the stage rules in Setup to adopt a suggestion', async () => {
    const element = await render(report);

    element.shadowRoot.querySelector('lightning-button.open-stage-rules').click();

    expect(navigations).toHaveBeenCalledWith({
      type: 'standard__webPage',
      attributes: { url: '/lightning/setup/CustomMetadata/home' },
    });
  });
});
