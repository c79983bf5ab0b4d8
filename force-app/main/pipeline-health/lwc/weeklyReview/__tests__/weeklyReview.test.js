import WeeklyReview from 'c/weeklyReview';
import getReviewChoices from '@salesforce/apex/WeeklyReviewController.getReviewChoices';
import getReview from '@salesforce/apex/WeeklyReviewController.getReview';
import { flush, itShowsPanelStates, mount, navigations } from 'lwc-test-helpers';
import { reviewCsv } from '../reviewCsv';

const choices = require('./data/getReviewChoices.json');
const teamReview = require('./data/getReview.json');
const danaReview = require('./data/getRepReview.json');

jest.mock('lightning/navigation', () => require('lwc-test-helpers').navigationModule());

describe('c-weekly-review', () => {
  afterEach(() => {
    jest.restoreAllMocks();
  });

  /** The page as a manager opens it: the choices arrive, then the first (the team's) review. */
  async function open(review = teamReview, picks = choices) {
    const { element } = await mount(WeeklyReview, { wire: getReviewChoices, data: picks });
    getReview.emit(review);
    await flush();
    return element;
  }

  const $ = (element, selector) => element.shadowRoot.querySelector(selector);
  const $$ = (element, selector) => [...element.shadowRoot.querySelectorAll(selector)];
  const texts = (element, selector) => $$(element, selector).map((node) => node.textContent.trim());

  itShowsPanelStates(WeeklyReview, {
    wire: getReviewChoices,
    loading: 'Loading your weekly reviews',
    error: 'Could not load your weekly reviews',
  });

  it('before the first scan says when the review will be written and how to write one now', async () => {
    const { element } = await mount(WeeklyReview, { wire: getReviewChoices, data: [] });

    const empty = $(element, '.empty');
    expect(empty.textContent).toContain('No weekly review yet.');
    expect(empty.textContent).toContain('with its next full scan');
    expect($(element, '.command').textContent).toBe('npx scribe scan');
    expect($(element, 'lightning-combobox')).toBeNull();
    await expect(element).toBeAccessible();
  });

  it("opens the team's review first and offers each rep's", async () => {
    const element = await open();

    const picker = $(element, 'lightning-combobox');
    expect(picker.options.map((option) => option.label)).toEqual(['My team', 'Dana Rep', 'Sam Seller']);
    expect(picker.value).toBe('a0B5g00000REVTEAMAA');
    expect(getReview.getLastConfig()).toEqual({ reviewId: 'a0B5g00000REVTEAMAA' });
    expect($(element, '.heading').textContent).toBe("Morgan Manager's team");
    expect($(element, '.status-summary').textContent).toBe(teamReview.statusSummary);
    await expect(element).toBeAccessible();
  });

  it('shows confidence with its reasons, and the pipeline in figures', async () => {
    const element = await open();

    expect($(element, '.confidence-badge').textContent).toBe('Low');
    expect($(element, '.confidence-badge').className).toContain('slds-theme_error');
    expect(texts(element, '.reasons li')).toEqual(teamReview.content.confidence.reasons);
    const figure = (selector) => $(element, `${selector} lightning-formatted-number`).value;
    expect(figure('.total')).toBe(241000);
    expect(figure('.weighted')).toBe(143540);
    expect(figure('.this-month')).toBe(57620);
    expect(figure('.this-quarter')).toBe(57620);
    expect($(element, '.this-quarter').textContent).toContain('weighted, of 2 deals closing by');
    expect($(element, '.this-quarter lightning-formatted-date-time').value).toBe('2026-03-31');
    expect($(element, '.total').textContent).toContain('in 4 open deals');
  });

  it('lists the three deals to focus on, the close-outs, key risks and help needed, each deal linked', async () => {
    const element = await open();

    expect(texts(element, '.focus-deal .deal-link')).toEqual([
      'Fabrikam - Pipeline Scribe rollout',
      'Tailspin renewal',
      'Contoso pilot',
    ]);
    expect($(element, '.focus-deal .why').textContent).toBe(
      'Worth $64,000, closing 2026-03-31, risk 81/100, up 11 this week: Stale 19 days',
    );
    expect(texts(element, '.close-out-deal .deal-link')).toEqual(['Contoso pilot']);
    expect($(element, '.close-out-deal .why').textContent).toBe('No engagement and no progress for 74 days');
    expect(texts(element, '.key-risk')[0]).toBe('Single-threaded: 1 deal, $120,000 (Tailspin renewal)');
    expect(texts(element, '.help-deal .why')).toEqual([
      'Competitor mentioned on the last call; Close date slipped twice',
    ]);
    expect(texts(element, '.next-step .action')).toEqual([
      'Re-engage',
      'Close Out',
      'Add Contact',
      'Add Next Step',
    ]);

    const link = $(element, '.help-deal .deal-link');
    expect(link.getAttribute('href')).toBe('/0065g00000FABRKAAA');
    link.click();
    expect(navigations).toHaveBeenCalledWith({
      type: 'standard__recordPage',
      attributes: { recordId: '0065g00000FABRKAAA', actionName: 'view' },
    });
  });

  it("shows each rep's line on the team review, and every deal riskiest first with its next step", async () => {
    const element = await open();

    expect(texts(element, '.rep .rep-name')).toEqual(['Sam Seller', 'Dana Rep']);
    const rows = $$(element, 'tr.deal');
    expect(rows.map((row) => row.querySelector('.deal-link').textContent)).toEqual([
      'Fabrikam - Pipeline Scribe rollout',
      'Contoso pilot',
      'Tailspin renewal',
      'Wingtip Toys - Pipeline Scribe',
    ]);
    const [fabrikam] = rows;
    expect(fabrikam.querySelector('.rep-step').textContent).toBe('Send the pilot proposal to Dmitri');
    expect(fabrikam.querySelector('.action-text').textContent.trim()).toBe(
      'Re-engage: No reply in 12 days, close date in 28 days',
    );
    expect(fabrikam.querySelector('.risk .score').title).toBe('Risk 81/100; up 11 since last week');
    expect(fabrikam.querySelector('.deal-confidence').textContent).toContain('Low confidence');
    expect(fabrikam.querySelector('.account').textContent.trim()).toBe('Fabrikam · Proposal/Price Quote');
    for (const cut of $$(element, 'tbody .slds-truncate[title], tbody .slds-line-clamp_x-small')) {
      expect(cut.getAttribute('title')).toBe(cut.textContent.trim());
    }
  });

  it("switches to a rep's review, which has no rep lines", async () => {
    const element = await open();

    const picker = $(element, 'lightning-combobox');
    picker.dispatchEvent(new CustomEvent('change', { detail: { value: 'a0B5g00000REVDANAAA' } }));
    await flush();
    expect(getReview.getLastConfig()).toEqual({ reviewId: 'a0B5g00000REVDANAAA' });
    getReview.emit(danaReview);
    await flush();

    expect($(element, '.heading').textContent).toBe('Dana Rep');
    expect($(element, '.reps')).toBeNull();
    expect($$(element, 'tr.deal')).toHaveLength(2);
  });

  it('says in a sentence when a review is not shared with the user, and keeps the picker', async () => {
    const { element } = await mount(WeeklyReview, { wire: getReviewChoices, data: choices });
    getReview.error({
      message:
        'This weekly review no longer exists or is not shared with you: a rep’s review is shared with the rep and the managers above them in the role hierarchy.',
    });
    await flush();

    const reviewState = $$(element, 'c-panel-state')[1];
    const panel = reviewState.shadowRoot.querySelector('c-error-panel');
    expect(panel.friendlyMessage).toBe('Could not load this weekly review');
    expect(panel.shadowRoot.querySelector('.messages').textContent).toContain('not shared with you');
    expect($(element, 'lightning-combobox')).not.toBeNull();
    expect($(element, '.review')).toBeNull();
    expect($(element, 'lightning-button.export').disabled).toBe(true);
  });

  it('prints the page', async () => {
    const element = await open();
    const print = jest.spyOn(window, 'print').mockImplementation(() => {});

    $(element, 'lightning-button.print').click();

    expect(print).toHaveBeenCalledTimes(1);
  });

  it('exports the deals with their next steps as a CSV file named after the review', async () => {
    const element = await open();
    const clicked = [];
    jest.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function record() {
      clicked.push({ href: this.href, download: this.download });
    });

    $(element, 'lightning-button.export').click();

    expect(clicked).toHaveLength(1);
    expect(clicked[0].download).toBe('weekly-review-Morgan-Manager-s-team-2026-03-02.csv');
    const csv = decodeURIComponent(clicked[0].href.slice('data:text/csv;charset=utf-8,'.length));
    const lines = csv.replace(/^\uFEFF/, '').split('\r\n');
    expect(lines).toHaveLength(5);
    expect(lines[0]).toContain('"Opportunity","Account","Owner"');
    expect(lines[1]).toContain('"Fabrikam - Pipeline Scribe rollout","Fabrikam","Dana Rep"');
    expect(lines[1]).toContain('"Send the pilot proposal to Dmitri","Re-engage"');
  });
});

describe('reviewCsv', () => {
  it('quotes every field, doubles quotes, and defuses text a spreadsheet would run as a formula', () => {
    const csv = reviewCsv([
      {
        opportunityId: '006A',
        name: 'Tailspin "renewal"',
        amount: 120000,
        riskChange: -5,
        nextStep: '=HYPERLINK("http://evil")',
        risks: ['Single-threaded', 'Stale 19 days'],
      },
    ]);

    const [, row] = csv.split('\r\n');
    expect(row).toContain('"Tailspin ""renewal"""');
    expect(row).toContain(`"'=HYPERLINK(""http://evil"")"`);
    expect(row).toContain('"-5"');
    expect(row).toContain('"Single-threaded; Stale 19 days"');
  });
});
