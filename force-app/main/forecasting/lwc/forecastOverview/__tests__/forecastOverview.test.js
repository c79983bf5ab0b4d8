import ForecastOverview from 'c/forecastOverview';
import getForecastOverview from '@salesforce/apex/ForecastOverviewController.getForecastOverview';
import { click, itShowsPanelStates, mount, navigations } from 'lwc-test-helpers';

const overview = require('./data/getForecastOverview.json');

jest.mock('@salesforce/apex', () => ({ refreshApex: jest.fn(() => Promise.resolve()) }), { virtual: true });

jest.mock('lightning/navigation', () => require('lwc-test-helpers').navigationModule());

describe('c-forecast-overview', () => {
  afterEach(() => {
    jest.clearAllMocks();
  });

  const render = async (data) => (await mount(ForecastOverview, { wire: getForecastOverview, data })).element;
  const $ = (element, selector) => element.shadowRoot.querySelector(selector);
  const $$ = (element, selector) => [...element.shadowRoot.querySelectorAll(selector)];
  const text = (element, selector) => $(element, selector).textContent.replace(/\s+/g, ' ').trim();

  itShowsPanelStates(ForecastOverview, {
    wire: getForecastOverview,
    loading: 'Loading the forecast',
    error: 'Could not load the forecast',
  });

  it('before the first full scan, says a scan must run and how to run one', async () => {
    const element = await render({ hasSnapshot: false, buckets: [], moves: [] });

    const empty = text(element, '.empty');
    expect(empty).toContain('No forecast yet.');
    expect(empty).toContain('with each full scan');
    expect(text(element, '.command')).toBe('npx scribe scan');
    expect($(element, 'svg')).toBeNull();
    await expect(element).toBeAccessible();
  });

  it('draws the P10–P90 range on an axis in the snapshot’s currency, with the P50 and the quota line', async () => {
    const element = await render(overview);

    expect(text(element, '.range-summary')).toBe(
      'Won value Mar 3, 2026 – May 31, 2026: $148,000 at the median, between $96,000 (P10) and $196,000 (P90).',
    );
    expect(text(element, '.deals')).toBe(
      '· 5 open deals; 1 deal without an amount is left out of the amounts.',
    );
    const ticks = $$(element, '.tick-label').map((t) => t.textContent);
    expect(ticks[0]).toBe('$0');
    expect(ticks).toEqual(['$0', '$50K', '$100K', '$150K', '$200K', '$250K']);
    expect(text(element, '.axis-title')).toBe('Won value, USD, Mar 3, 2026 – May 31, 2026');
    expect($$(element, 'line.axis')).toHaveLength(2);
    const band = $(element, '.bar-range');
    const x = (value) => Number(band.getAttribute(value));
    // The band starts at P10 and ends at P90 on the same scale as the ticks: 0 to 250K across the plot.
    const plot = (value) => 150 + (value / 250000) * (640 - 150 - 24);
    expect(x('x')).toBeCloseTo(plot(96000), 5);
    expect(x('x') + x('width')).toBeCloseTo(plot(196000), 5);
    expect(Number($(element, '.p50').getAttribute('x1'))).toBeCloseTo(plot(148000), 5);
    expect(Number($(element, '.quota-line').getAttribute('x1'))).toBeCloseTo(plot(175000), 5);
    expect(text(element, '.quota-label')).toBe('Quota $175K');
    expect(text(element, '.p50-label')).toBe('P50 $148K');
    expect($(element, 'svg').getAttribute('aria-label')).toContain('Quota $175,000.');
    await expect(element).toBeAccessible();
  });

  it('sets commit, best case and pipeline from signals beside the reps’ own categories', async () => {
    const element = await render(overview);

    const rows = $$(element, 'tr.category').map((row) =>
      [...row.children].map((cell) => cell.textContent.trim()),
    );
    expect(rows).toEqual([
      ['Commit', '$120,000', '$184,000', '+$64,000'],
      ['Best case', '$184,000', '$196,000', '+$12,000'],
      ['Pipeline', '$238,500', '$196,000', '−$42,500'],
    ]);
    const labels = $$(element, '.row-label').map((t) => t.textContent);
    expect(labels).toEqual([
      'P10–P90 range',
      'Commit: signals',
      'Commit: reps',
      'Best case: signals',
      'Best case: reps',
    ]);
  });

  it('lists what moved, in, out, slipped, up and down, adding up to the change in the weighted pipeline', async () => {
    const element = await render(overview);

    expect(text(element, '.movement-summary')).toBe(
      'Weighted pipeline $131,220 on Feb 23, 2026, $150,720 now: +$19,500.',
    );
    const buckets = $$(element, 'tr.bucket').map((row) =>
      [...row.children].map((cell) => cell.textContent.trim()),
    );
    expect(buckets).toEqual([
      ['In', '1', '+$42,500', '+$4,250'],
      ['Out', '1', '−$30,000', '−$21,000'],
      ['Slipped', '1', '$0', '−$1,200'],
      ['Up', '2', '+$14,000', '+$37,450'],
      ['Down', '0', '$0', '$0'],
    ]);
    const moves = $$(element, 'tr.move').map((row) =>
      [...row.children].map((cell) => cell.textContent.replace(/\s+/g, ' ').trim()),
    );
    expect(moves[1]).toEqual([
      'Wingtip expansion',
      'Out: won',
      '$30,000',
      'Mar 15, 2026 → Feb 27, 2026',
      '−$21,000',
    ]);
    expect(moves[2]).toEqual([
      'Fabrikam - Pipeline Scribe rollout',
      'Up: amount changed',
      '$50,000 → $64,000',
      'Mar 31, 2026',
      '+$7,450',
    ]);
    expect(moves[4]).toEqual([
      'Contoso pilot',
      'Slipped: close date pushed',
      '$12,000',
      'Mar 31, 2026 → May 30, 2026',
      '−$1,200',
    ]);
    expect(text(element, '.deal-hidden')).toBe('A deal you do not have access to');
    await expect(element).toBeAccessible();
  });

  it('lists the deals likely to miss their close date with their chances and what drives them', async () => {
    const element = await render(overview);

    expect(text(element, '.slipping-summary')).toBe(
      'Open deals with a chance of 60% or more of missing their close date (the Slip Warning Probability of the Scribe Settings), largest first, with what drives their win probability.',
    );
    const deals = $$(element, '.slipping-deal').map((deal) => [
      deal.querySelector('a').textContent,
      deal.querySelector('.slip-facts').textContent,
      [...deal.querySelectorAll('.drivers li')].map((li) => li.textContent),
    ]);
    expect(deals).toEqual([
      [
        'Fabrikam rollout',
        '75% chance to miss Mar 31, 2026 · Negotiation/Review · $120,000 · 41% to win',
        [
          'no activity for 21 days (deals that won: 4): \u221212 points',
          'in Negotiation/Review 2\u00d7 longer than deals that won (34 vs 17 days): \u22126.5 points',
          'Dana Rep won 31 of 48 closed deals (65%, against 52% overall): +3.1 points',
        ],
      ],
      ['Contoso pilot', '61% chance to miss May 30, 2026 · Prospecting · $12,000', []],
    ]);
    await expect(element).toBeAccessible();
  });

  it('says when no deal reaches the slip warning', async () => {
    const element = await render({ ...overview, slipWarningPercent: 80, likelyToSlip: [] });

    expect(text(element, '.slipping-summary')).toBe(
      'No open deal you can see has a chance of 80% or more of missing its close date.',
    );
    expect($(element, '.slipping-deal')).toBeNull();
  });

  it('opens a moved deal in Lightning', async () => {
    const element = await render(overview);

    await click(element, 'a.deal-link');

    expect(navigations).toHaveBeenCalledWith({
      type: 'standard__recordPage',
      attributes: { recordId: '0065g00000TAILSAAA', actionName: 'view' },
    });
  });

  it('says why there is no range while the model has learned nothing, and why there is no movement yet', async () => {
    const element = await render({
      ...overview,
      p10: null,
      p50: null,
      p90: null,
      commitAmount: null,
      bestCaseAmount: null,
      quotaAmount: null,
      quotaNote:
        'No quota is set: enter the quarter’s quota in Quarterly Quota of the Default Scribe Setting.',
      modelNote:
        'No deal in this org has closed yet, so there is no outcome to learn a win probability from.',
      buckets: [],
      moves: [],
      movementNote: 'This is the first forecast snapshot: the movement shows from the next full scan on.',
    });

    expect($(element, 'svg')).toBeNull();
    expect(text(element, '.no-range')).toBe(
      'No range for this quarter yet. No deal in this org has closed yet, so there is no outcome to learn a win probability from.',
    );
    expect(text(element, '.quota-note')).toContain('No quota is set');
    expect(text(element, '.movement-note')).toBe(
      'This is the first forecast snapshot: the movement shows from the next full scan on.',
    );
    expect($$(element, 'tr.category')[0].children[1].textContent).toBe('not computed');
    await expect(element).toBeAccessible();
  });

  it('formats amounts in the snapshot’s currency', async () => {
    const element = await render({ ...overview, currencyCode: 'EUR' });

    expect(text(element, '.range-summary')).toContain('€148,000');
    expect($$(element, '.tick-label').at(-1).textContent).toBe('€250K');
  });
});
