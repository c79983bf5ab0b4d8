// A manager's journey against the local org with the sample data: Home before the pipeline review,
// with the team's deals riskiest first (both reps', as the role hierarchy shares them) and the
// manager's own action queue; then, after the service's full scan wrote this week's reviews, the Team
// Review page, switched from the team to one rep.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { axeViolations, startJourneys } from './journeys.mjs';

const journeys = await startJourneys();
after(() => journeys.close());

describe('a manager before the pipeline review: Home', () => {
  let page;
  before(async () => {
    page = await journeys.open({ user: journeys.manager, page: 'home' });
  });
  after(async () => {
    assert.deepEqual(page.problems, []);
    await page.close();
  });

  test("the team risk panel lists every rep's open deal, riskiest first, with why", async () => {
    const rows = page.tab.locator('c-team-risk-panel tbody tr');
    await rows.first().waitFor();
    const deals = await rows.locator('a.name').allInnerTexts();
    assert.deepEqual(
      deals.map((name) => name.split(' ')[0]),
      ['Litware', 'Tailspin', 'Wingtip', 'Fabrikam', 'Northwind'],
    );
    const owners = new Set((await rows.locator('td.owner').allInnerTexts()).map((text) => text.trim()));
    assert.equal(owners.size, 2, `the deals of both reps: ${[...owners].join(', ')}`);
    // Litware's risk went from 40 to 90 since last week: the trend a manager asks about first.
    assert.match(await rows.first().innerText(), /Chorus/);
    assert.equal((await rows.first().locator('td.risk').innerText()).replace(/\s+/g, ' ').trim(), '90 Up 50');
    await page.step('manager-1-team-risk', { docs: 'manager-home' });
  });

  test('the action queue is the manager’s own: empty, and it says so', async () => {
    const queue = page.tab.locator('c-next-best-action-queue');
    await queue.getByText('Nothing urgent today. New actions appear as your deals change.').waitFor();
    assert.deepEqual(await page.fixtureMethods(), []);
  });

  test('the accessibility check sees inside the components: a link hidden from screen readers fails it', async () => {
    // Under synthetic shadow the components' DOM is the page's; axe must still reach it, or its passes
    // would mean nothing. A focusable link under aria-hidden is a serious violation.
    const link = page.tab.locator('c-team-risk-panel a.name').first();
    await link.evaluate((element) => element.setAttribute('aria-hidden', 'true'));
    const violations = await axeViolations(page.tab);
    await link.evaluate((element) => element.removeAttribute('aria-hidden'));
    assert.deepEqual(
      violations.map(({ rule, impact, elements }) => ({
        rule,
        impact,
        inPanel: elements.every((e) => e.includes('c-team-risk-panel')),
      })),
      [{ rule: 'aria-hidden-focus', impact: 'serious', inPanel: true }],
    );
    assert.deepEqual(await axeViolations(page.tab), []);
  });
});

describe('a manager after the weekly scan: the Team Review page', () => {
  let page;
  before(async () => {
    // The reviews are the scan's: nothing in the sample data until it ran (the Home checks above read
    // the org before it, as the pipeline review's morning does).
    const report = await journeys.scan();
    assert.equal(report.changed.reviews, 3, 'one review per rep and one for the team');
    page = await journeys.open({ user: journeys.manager, page: 'pipeline-scribe-team-review' });
  });
  after(async () => {
    assert.deepEqual(page.problems, []);
    await page.close();
  });

  test("opens on the team's review and switches to a rep's, all read from the org", async () => {
    const review = page.tab.locator('c-weekly-review');
    await review.locator('.heading').getByText("Morgan Manager's team").waitFor();
    const picker = review.getByRole('combobox', { name: 'Review of' });
    await picker.click();
    const options = await review.getByRole('option').allInnerTexts();
    assert.deepEqual(
      options.map((o) => o.trim()),
      ['My team', 'Avery Rep', 'Blake Rep'],
    );
    const { rep } = journeys;
    const repName = journeys.org.store.get('User', rep.id).Name;
    await review.getByRole('option', { name: repName }).click();
    await review.locator('.heading').getByText(repName, { exact: true }).waitFor();
    // Every deal the rep's review lists is the rep's own, Fabrikam among them.
    const deals = await review.locator('tr.deal').allInnerTexts();
    assert.ok(deals.length > 0, 'the rep has open deals');
    assert.ok(
      deals.some((row) => row.includes('Fabrikam')),
      deals.join(' | '),
    );
    assert.deepEqual(await page.fixtureMethods(), []);
    await page.step('manager-3-team-review-rep', { docs: 'manager-team-review' });
  });
});

describe('a manager whose permission set was taken away: Home', () => {
  let page;
  before(async () => {
    const { org, manager } = journeys;
    const assignments = org.store
      .all('PermissionSetAssignment')
      .filter((assignment) => assignment.AssigneeId === manager.id);
    const admin = org.issueAccessToken('admin@pipeline-scribe.local');
    for (const { Id } of assignments) {
      const response = await fetch(`${org.url}/services/data/v62.0/sobjects/PermissionSetAssignment/${Id}`, {
        method: 'DELETE',
        headers: { authorization: `Bearer ${admin}` },
      });
      assert.equal(response.status, 204);
    }
    page = await journeys.open({ user: manager, page: 'home' });
  });
  after(async () => {
    assert.deepEqual(page.problems, []);
    await page.close();
  });

  test('each panel says in a sentence what failed and who can fix it, not an error stack', async () => {
    const team = page.tab.locator('c-team-risk-panel');
    await team.getByText(/Could not load your team’s deals/).waitFor();
    assert.match(await team.innerText(), /Ask your Salesforce admin for the Pipeline Scribe permission set/);
    assert.doesNotMatch(await team.innerText(), /at [\w.]+ \(|Exception|APEX_ERROR/);
    await page.step('manager-2-without-permission-set');
  });
});
