// What a rep does with the mouse, in the real base components: accept, edit, reject (one or all),
// snooze, done and dismiss, revert, capture, open a deal; and what the org was asked and the rep told.
import assert from 'node:assert/strict';
import { after, afterEach, beforeEach, describe, test } from 'node:test';
import { callsTo, openGallery, previewLog, settled, startPreview, toast } from './browser.mjs';

const preview = await startPreview();
after(() => preview.close());

const DECIDE = 'SuggestionController.decideSuggestions';

describe('suggestions on the Opportunity page', () => {
  let gallery;
  let tab;
  beforeEach(async () => {
    gallery = await openGallery(preview, { scenario: 'review', page: 'opportunity' });
    tab = gallery.tab;
  });
  afterEach(async () => {
    assert.deepEqual(gallery.problems, []);
    await gallery.close();
  });

  const suggestion = (heading) => tab.getByRole('article', { name: heading, exact: true });
  const button = (scope, name) => scope.getByRole('button', { name, exact: true });
  const panelTitle = () => tab.locator('c-suggestions-panel .slds-card__header-title').innerText();

  test('accept applies one suggestion and takes it off the list', async () => {
    await button(suggestion('Budget'), 'Accept').click();

    assert.deepEqual(await toast(tab), {
      title: '1 accepted',
      message: '',
      variant: 'success',
      mode: 'dismissible',
    });
    assert.deepEqual(await callsTo(tab, DECIDE), [
      { decisions: [{ suggestionId: 'a025g00000SUG002AAA', action: 'accept' }] },
    ]);
    await suggestion('Budget').waitFor({ state: 'detached' });
    assert.equal(await panelTitle(), 'Suggestions (4)');
    assert.match(await tab.locator('lightning-toast').innerText(), /1 accepted/);
  });

  test('a budget reads as an amount; a value accepted is listed at once with its Revert, the undo', async () => {
    const budget = suggestion('Budget');
    await budget.getByText('$64,000', { exact: true }).waitFor();
    assert.doesNotMatch(await budget.innerText(), /64000/);

    await button(suggestion('Stage'), 'Accept').click();
    assert.equal((await toast(tab)).title, '1 accepted');
    // The newest value first: the stage just applied, above the one reverted last month.
    const applied = tab.locator('c-field-provenance li.value').first();
    await applied.getByText('Needs Analysis').waitFor();
    await button(applied, 'Revert').click();

    assert.equal((await toast(tab, 2)).title, 'Value reverted');
    await applied.getByText('Reverted by Dana Rep').waitFor();
  });

  test('edit picks another stage in the combobox, then saves and applies it', async () => {
    await button(suggestion('Stage'), 'Edit').click();
    await suggestion('Stage').getByRole('combobox', { name: 'New Stage' }).click();
    await tab.getByRole('option', { name: 'Value Proposition' }).click();
    await button(suggestion('Stage'), 'Save and apply').click();

    assert.equal((await toast(tab)).title, '1 edited');
    assert.deepEqual(await callsTo(tab, DECIDE), [
      {
        decisions: [
          { suggestionId: 'a025g00000SUG001AAA', action: 'edit', editedValue: 'Value Proposition' },
        ],
      },
    ]);
  });

  test('edit types another budget into the number field', async () => {
    await button(suggestion('Budget'), 'Edit').click();
    // As a rep does it: into the field, select what is there, type over it.
    await suggestion('Budget').getByRole('spinbutton', { name: 'New Budget' }).click();
    await tab.keyboard.press('Control+A');
    await tab.keyboard.type('60000');
    await button(suggestion('Budget'), 'Save and apply').click();

    assert.equal((await toast(tab)).title, '1 edited');
    assert.deepEqual(await callsTo(tab, DECIDE), [
      { decisions: [{ suggestionId: 'a025g00000SUG002AAA', action: 'edit', editedValue: '60000' }] },
    ]);
  });

  test('cancel leaves the suggestion as it was', async () => {
    await button(suggestion('Budget'), 'Edit').click();
    await button(suggestion('Budget'), 'Cancel').click();

    assert.equal(await button(suggestion('Budget'), 'Accept').isEnabled(), true);
    assert.deepEqual(await callsTo(tab, DECIDE), []);
  });

  test('reject declines the new contact', async () => {
    await button(suggestion('New contact'), 'Reject').click();

    assert.equal((await toast(tab)).title, '1 rejected');
    assert.deepEqual(await callsTo(tab, DECIDE), [
      { decisions: [{ suggestionId: 'a025g00000SUG005AAA', action: 'reject' }] },
    ]);
    await suggestion('New contact').waitFor({ state: 'detached' });
  });

  test('accept all applies what it can and explains the one that went stale', async () => {
    await tab.getByRole('button', { name: 'Accept all', exact: true }).click();

    const shown = await toast(tab);
    assert.equal(shown.title, '4 accepted, 1 stale');
    assert.equal(shown.variant, 'warning');
    assert.match(shown.message, /Next Step changed since this was suggested/);
    const [{ decisions }] = await callsTo(tab, DECIDE);
    assert.deepEqual(
      decisions.map((decision) => decision.action),
      ['accept', 'accept', 'accept', 'accept', 'accept'],
    );
    const attention = tab.getByRole('region', { name: 'Needs your attention' });
    await attention.getByRole('article', { name: 'Next Step' }).waitFor();
    assert.equal(await panelTitle(), 'Suggestions');
  });

  test('a stale suggestion can still replace the value, or keep the current one', async () => {
    const attention = tab.getByRole('region', { name: 'Needs your attention' });
    await button(attention.getByRole('article', { name: 'Close Date' }), 'Replace anyway').click();
    assert.equal((await toast(tab)).title, '1 accepted');

    await button(attention.getByRole('article', { name: 'Amount' }), 'Reject').click();
    assert.equal((await toast(tab, 2)).title, '1 rejected');
    assert.deepEqual(
      (await callsTo(tab, DECIDE)).map(({ decisions }) => decisions[0].suggestionId),
      ['a025g00000SUG006AAA', 'a025g00000SUG007AAA'],
    );
  });
});

describe('a stage move that closes the deal', () => {
  let gallery;
  let tab;
  beforeEach(async () => {
    gallery = await openGallery(preview, { scenario: 'risky-deal', page: 'opportunity' });
    tab = gallery.tab;
  });
  afterEach(async () => {
    assert.deepEqual(gallery.problems, []);
    await gallery.close();
  });

  const stage = () => tab.getByRole('article', { name: 'Stage', exact: true });
  const dialog = () => tab.getByRole('alertdialog', { name: 'Confirm the stage' });

  test('accept all leaves it for the rep, who confirms it on its own; Cancel changes nothing', async () => {
    await tab.getByRole('button', { name: 'Accept all', exact: true }).click();

    assert.deepEqual(await toast(tab), {
      title: 'Nothing accepted',
      message: '1 stage move waits for your confirmation: accept it on its own.',
      variant: 'info',
    });
    assert.deepEqual(await callsTo(tab, DECIDE), []);

    await stage().getByRole('button', { name: 'Accept', exact: true }).click();
    assert.match(
      await dialog().innerText(),
      /Move Contoso pilot from Prospecting to Closed Lost\? This closes the deal\./,
    );
    await dialog().getByRole('button', { name: 'Cancel' }).click();
    await dialog().waitFor({ state: 'detached' });
    assert.deepEqual(await callsTo(tab, DECIDE), []);

    await stage().getByRole('button', { name: 'Accept', exact: true }).click();
    await dialog().getByRole('button', { name: 'OK' }).click();

    assert.equal((await toast(tab, 2)).title, '1 accepted');
    assert.deepEqual(await callsTo(tab, DECIDE), [
      { decisions: [{ suggestionId: 'a025g00000CONTS1AAA', action: 'accept', confirmed: true }] },
    ]);
  });
});

describe('provenance on the Opportunity page', () => {
  test('revert puts the budget back and says so', async () => {
    const gallery = await openGallery(preview, { scenario: 'review', page: 'opportunity' });
    const { tab } = gallery;
    const budget = tab.locator('c-field-provenance li.value').filter({ hasText: 'Budget' });
    await budget.getByRole('button', { name: 'Revert' }).click();

    assert.deepEqual(await toast(tab), {
      title: 'Value reverted',
      message: 'Budget is back to empty.',
      variant: 'success',
    });
    assert.deepEqual(await callsTo(tab, 'FieldProvenanceController.revertValue'), [
      { provenanceId: 'a035g00000PROV01AAA' },
    ]);
    await budget.getByText('Reverted by Dana Rep').waitFor();
    assert.equal(await budget.getByRole('button', { name: 'Revert' }).count(), 0);
    assert.deepEqual((await previewLog(tab)).recordUpdates, [{ recordId: '0065g00000FABRKAAA' }]);
    assert.deepEqual(gallery.problems, []);
    await gallery.close();
  });
});

describe('quick capture', () => {
  test('on the Opportunity page, pasted notes are saved and the notes panel refreshes', async () => {
    const gallery = await openGallery(preview, { scenario: 'review', page: 'opportunity' });
    const { tab } = gallery;
    await tab.getByRole('textbox', { name: 'Notes, email or transcript' }).fill('Priya confirmed the pilot.');
    await tab.getByRole('button', { name: 'Save conversation' }).click();

    assert.equal((await toast(tab)).title, 'Conversation saved');
    assert.deepEqual(await callsTo(tab, 'ConversationController.captureConversation'), [
      {
        conversation: {
          Opportunity__c: '0065g00000FABRKAAA',
          Source__c: 'Notes',
          Content__c: 'Priya confirmed the pilot.',
        },
      },
    ]);
    await tab.getByRole('button', { name: 'Notes 2026-03-03 09:30' }).waitFor();
    assert.equal((await previewLog(tab)).refreshes, 1);
    assert.deepEqual(gallery.problems, []);
    await gallery.close();
  });

  test('on the Home page, the rep picks the deal first', async () => {
    const gallery = await openGallery(preview, { scenario: 'review', page: 'home' });
    const { tab } = gallery;
    const save = tab.getByRole('button', { name: 'Save conversation' });
    await tab.getByRole('textbox', { name: 'Notes, email or transcript' }).fill('Call with Tailspin.');
    assert.equal(await save.isEnabled(), false);
    await tab.getByRole('combobox', { name: 'Opportunity' }).click();
    await tab.getByRole('option', { name: 'Tailspin renewal (Tailspin Toys)' }).click();
    await save.click();

    assert.equal((await toast(tab)).title, 'Conversation saved');
    const [{ conversation }] = await callsTo(tab, 'ConversationController.captureConversation');
    assert.equal(conversation.Opportunity__c, '0065g00000TAILSAAA');
    assert.deepEqual(gallery.problems, []);
    await gallery.close();
  });

  test('when the org refuses, the rep is told why and nothing is lost', async () => {
    const gallery = await openGallery(preview, { scenario: 'error', page: 'opportunity' });
    const { tab } = gallery;
    const notes = tab.getByRole('textbox', { name: 'Notes, email or transcript' });
    await notes.fill('Priya confirmed the pilot.');
    await tab.getByRole('button', { name: 'Save conversation' }).click();

    const shown = await toast(tab);
    assert.equal(shown.title, 'The conversation was not saved');
    assert.equal(shown.mode, 'sticky');
    assert.match(shown.message, /Ask your Salesforce admin/);
    assert.equal(await notes.inputValue(), 'Priya confirmed the pilot.');
    // The failed loads are part of this scenario; the error panels show them.
    await gallery.close();
  });
});

describe('the next-best-action queue on the Home page', () => {
  let gallery;
  let tab;
  beforeEach(async () => {
    gallery = await openGallery(preview, { scenario: 'full-queue', page: 'home' });
    tab = gallery.tab;
  });
  afterEach(async () => {
    assert.deepEqual(gallery.problems, []);
    await gallery.close();
  });

  const UPDATE = 'NextBestActionController.updateActionStatus';
  const rows = () => tab.locator('c-next-best-action-queue li.action');
  const row = (what) => rows().filter({ hasText: what });

  test('shows all twenty actions, ranked', async () => {
    assert.equal(await rows().count(), 20);
    assert.match(await rows().first().innerText(), /^1\. Call Dmitri at Fabrikam/);
    assert.match(await rows().last().innerText(), /^20\. Thank Priya for the intro/);
  });

  test('snooze puts an action away for the default days', async () => {
    await row('Call Dmitri at Fabrikam').getByRole('button', { name: 'Snooze' }).click();

    assert.equal((await toast(tab)).title, 'Snoozed until Mar 6, 2026');
    assert.deepEqual(await callsTo(tab, UPDATE), [
      { actionId: 'a045g00000NBA001AAA', status: 'Snoozed', snoozeUntil: null },
    ]);
    await row('Call Dmitri at Fabrikam').waitFor({ state: 'detached' });
    assert.equal(await rows().count(), 19);
  });

  test('done and dismiss take actions off the queue', async () => {
    await row('Add a second contact at Tailspin').getByRole('button', { name: 'Done' }).click();
    assert.equal((await toast(tab)).title, 'Marked done');
    await row('Close out the Wingtip add-on').getByRole('button', { name: 'Dismiss' }).click();
    assert.equal((await toast(tab, 2)).title, 'Marked dismissed');

    assert.deepEqual(await callsTo(tab, UPDATE), [
      { actionId: 'a045g00000NBA002AAA', status: 'Done', snoozeUntil: null },
      { actionId: 'a045g00000NBA019AAA', status: 'Dismissed', snoozeUntil: null },
    ]);
    await settled(tab);
    assert.equal(await rows().count(), 18);
  });

  test('the deal link opens the opportunity through navigation', async () => {
    await row('Add a second contact at Tailspin').getByRole('link', { name: 'Tailspin renewal' }).click();

    assert.deepEqual((await previewLog(tab)).navigations, [
      { type: 'standard__recordPage', attributes: { recordId: '0065g00000TAILSAAA', actionName: 'view' } },
    ]);
    assert.match(await tab.locator('preview-gallery .navigation').innerText(), /0065g00000TAILSAAA/);
  });
});

describe('the gallery itself', () => {
  test('the scenario picker switches every component to the chosen scenario', async () => {
    const gallery = await openGallery(preview, { scenario: 'review', page: 'opportunity' });
    const { tab } = gallery;
    await tab.getByRole('combobox', { name: 'Scenario' }).click();
    await tab.getByRole('option', { name: 'Nothing yet' }).click();
    await settled(tab);

    await tab.getByText('Nothing to review.').waitFor();
    await tab.getByText('No conversations on this deal yet.').waitFor();
    assert.match(tab.url(), /scenario=empty&page=opportunity/);
    assert.deepEqual(gallery.problems, []);
    await gallery.close();
  });
});
