// A rep's journeys against the local org with the sample data: after a call, the opportunity's
// suggestions with their quotes and reasons; a stage accepted changes the deal in the org, with its
// provenance, and is undone; "Accept all" leaves a closing move for one explicit confirmation; the day
// starts with the ranked action queue on Home.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startJourneys } from './journeys.mjs';

const journeys = await startJourneys();
after(() => journeys.close());

const { org, rep } = journeys;
const repName = org.store.get('User', rep.id).Name;
const NOTES = 'Dmitri: the business case is approved; Priya signs next week.';
const stageOf = (deal) => org.store.get('Opportunity', deal.Id).StageName;
const suggestion = (tab, heading) => tab.getByRole('article', { name: heading, exact: true });
const button = (scope, name) => scope.getByRole('button', { name, exact: true });
const toast = (tab, text) => tab.locator('lightning-toast').filter({ hasText: text }).first();
/** The Stage the highlights panel shows at the top of the record page. */
const shownStage = (tab) =>
  tab
    .locator('preview-highlights .slds-page-header__detail-block')
    .filter({ hasText: 'Stage' })
    .locator('div')
    .nth(1);

describe('a rep after a call: the Fabrikam opportunity', () => {
  const fabrikam = journeys.deal('Fabrikam');
  let page;
  before(async () => {
    page = await journeys.open({ user: rep, page: 'opportunity', recordId: fabrikam.Id });
  });
  after(async () => {
    assert.deepEqual(page.problems, []);
    await page.close();
  });

  test('shows what the call suggests, each with its quote and why', async () => {
    const stage = suggestion(page.tab, 'Stage');
    await stage.getByText('We have $64,000 budgeted for this fiscal year.').first().waitFor();
    assert.match(await stage.innerText(), /Needs Analysis/);
    assert.match(await stage.innerText(), /Pain identified/);
    const budget = suggestion(page.tab, 'Budget');
    await budget.getByText('$64,000', { exact: true }).waitFor();
    assert.equal(await shownStage(page.tab).innerText(), 'Qualification');
    // The panels that decide and undo ask the org; none of this page's reads comes from a fixture.
    assert.deepEqual(await page.fixtureMethods(), []);
    await page.step('rep-1-opportunity-suggestions', { docs: 'rep-opportunity' });
  });

  test('accepting the stage moves the deal in the org and shows where the new stage came from', async () => {
    await button(suggestion(page.tab, 'Stage'), 'Accept').click();
    await toast(page.tab, '1 accepted').waitFor();
    await suggestion(page.tab, 'Stage').waitFor({ state: 'detached' });

    assert.equal(stageOf(fabrikam), 'Needs Analysis');
    await shownStage(page.tab).filter({ hasText: 'Needs Analysis' }).waitFor();
    const applied = page.tab.locator('c-field-provenance li.value').first();
    await applied.getByText('Needs Analysis').waitFor();
    const provenance = await applied.innerText();
    assert.match(provenance, /Stage/);
    assert.match(provenance, new RegExp(`Accepted by ${repName}|${repName}`));
    assert.match(provenance, /We have \$64,000 budgeted for this fiscal year\./);
    await page.step('rep-2-stage-accepted', {
      docs: 'rep-stage-accepted',
      element: page.tab.locator('c-field-provenance'),
    });
  });

  test('Revert undoes it: the stage is back in the org and on the page', async () => {
    const applied = page.tab.locator('c-field-provenance li.value').first();
    await button(applied, 'Revert').click();
    await toast(page.tab, 'Value reverted').waitFor();
    assert.equal(stageOf(fabrikam), 'Qualification');
    await applied.getByText(/Reverted by/).waitFor();
    await shownStage(page.tab).filter({ hasText: 'Qualification' }).waitFor();
    await page.step('rep-3-stage-reverted');
  });
});

describe('"Accept all" on a deal the customer walked away from', () => {
  const litware = journeys.deal('Litware');
  let page;
  before(async () => {
    // What the service writes after Litware's last call: a move to Closed Lost and a new next step.
    const conversation = org.store
      .all(org.schema.apiName('Conversation__c'))
      .find((row) => row[org.schema.apiName('Conversation__c.Opportunity__c').split('.')[1]] === litware.Id);
    await writeSuggestions(org, litware, conversation);
    page = await journeys.open({ user: rep, page: 'opportunity', recordId: litware.Id });
  });
  after(async () => {
    assert.deepEqual(page.problems, []);
    await page.close();
  });

  test('applies the next step but leaves the closing move for the rep to confirm', async () => {
    await button(page.tab, 'Accept all').click();
    await toast(page.tab, '1 accepted').waitFor();
    assert.match(await toast(page.tab, '1 accepted').innerText(), /1 stage move waits for your confirmation/);
    assert.equal(stageOf(litware), 'Perception Analysis');
    assert.equal(org.store.get('Opportunity', litware.Id).NextStep, 'Send the close-out note to Pat');
    await suggestion(page.tab, 'Stage').waitFor();
    await page.step('rep-4-accept-all-leaves-closing-move');
  });

  test('accepting the closing move asks once; Cancel keeps the deal open, OK closes it', async () => {
    await button(suggestion(page.tab, 'Stage'), 'Accept').click();
    const dialog = page.tab.getByRole('alertdialog', { name: 'Confirm the stage' });
    await dialog.waitFor();
    assert.match(await dialog.innerText(), /Closed Lost/);
    await page.step('rep-5-confirm-closing-move', { docs: 'rep-confirm-close' });
    await button(dialog, 'Cancel').click();
    await dialog.waitFor({ state: 'detached' });
    assert.equal(stageOf(litware), 'Perception Analysis');

    await button(suggestion(page.tab, 'Stage'), 'Accept').click();
    await button(dialog, 'OK').click();
    await toast(page.tab, '1 accepted').nth(0).waitFor();
    await shownStage(page.tab).filter({ hasText: 'Closed Lost' }).waitFor();
    assert.equal(stageOf(litware), 'Closed Lost');
  });
});

describe('a rep starting the day: Home', () => {
  let page;
  before(async () => {
    page = await journeys.open({ user: rep, page: 'home' });
  });
  after(async () => {
    assert.deepEqual(page.problems, []);
    await page.close();
  });

  test('the ranked action queue says why; Done takes an action off it in the org', async () => {
    const queue = page.tab.locator('c-next-best-action-queue');
    const first = queue.getByRole('listitem').filter({ hasText: 'Call Dmitri at Fabrikam' });
    await first.waitFor();
    assert.match(await first.innerText(), /Priya Raman signs off above \$50,000/);
    await page.step('rep-6-home-queue', { docs: 'rep-home' });

    await button(first, 'Done').click();
    await first.waitFor({ state: 'detached' });
    const action = org.store
      .all(org.schema.apiName('Next_Best_Action__c'))
      .find(
        (row) =>
          row[org.schema.apiName('Next_Best_Action__c.Action__c').split('.')[1]] ===
          'Call Dmitri at Fabrikam',
      );
    assert.equal(action[org.schema.apiName('Next_Best_Action__c.Status__c').split('.')[1]], 'Done');
    await page.step('rep-7-action-done');
  });

  test('quick capture saves pasted notes on a chosen deal as a queued conversation in the org', async () => {
    const capture = page.tab.locator('c-quick-capture');
    await capture.getByRole('combobox', { name: 'Opportunity' }).click();
    await page.tab.getByRole('option', { name: /Fabrikam/ }).click();
    await capture.getByRole('textbox', { name: 'Notes, email or transcript' }).fill(NOTES);
    await button(capture, 'Save conversation').click();
    await toast(page.tab, 'Conversation saved').waitFor();
    const conversations = org.store.all(org.schema.apiName('Conversation__c'));
    const saved = conversations.find(
      (row) => row[org.schema.apiName('Conversation__c.Content__c').split('.')[1]] === NOTES,
    );
    assert.ok(saved, 'the notes are a conversation in the org');
    assert.equal(saved[org.schema.apiName('Conversation__c.Processing_Status__c').split('.')[1]], 'Queued');
    assert.equal(saved.OwnerId, rep.id);
  });
});

/** Writes two suggestions as the integration user does, through the org's REST API. */
async function writeSuggestions(org, deal, conversation) {
  const name = (field) => org.schema.apiName(`Suggestion__c.${field}`).split('.')[1];
  const token = org.issueAccessToken(org.users.find((user) => user.persona === 'integration').username);
  const common = {
    // Owned by the deal's owner, as the write-back gives them: the package's objects are Private.
    OwnerId: deal.OwnerId,
    Opportunity__c: deal.Id,
    Conversation__c: conversation?.Id ?? null,
    Status__c: 'Pending',
    Target_Object__c: 'Opportunity',
    Confidence__c: 0.8,
  };
  const suggestions = [
    {
      ...common,
      Type__c: 'Stage',
      Target_Field__c: 'StageName',
      Value_At_Suggestion__c: 'Perception Analysis',
      Proposed_Value__c: 'Closed Lost',
      Evidence_Quote__c: 'We went with Chorus; it came bundled with ZoomInfo.',
      Reasons__c: 'Customer chose a competitor: "We went with Chorus"',
      External_Id__c: 'journey:litware:stage',
    },
    {
      ...common,
      Type__c: 'Field',
      Target_Field__c: 'NextStep',
      Value_At_Suggestion__c: deal.NextStep,
      Proposed_Value__c: 'Send the close-out note to Pat',
      Evidence_Quote__c: 'Send me a note to close it out on your side.',
      External_Id__c: 'journey:litware:next-step',
    },
  ];
  for (const values of suggestions) {
    const response = await fetch(
      `${org.url}/services/data/v62.0/sobjects/${org.schema.apiName('Suggestion__c')}`,
      {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify(Object.fromEntries(Object.entries(values).map(([k, v]) => [name(k), v]))),
      },
    );
    assert.equal(response.status, 201, await response.text());
  }
}
