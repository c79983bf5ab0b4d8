import QuickCapture from 'c/quickCapture';
import captureConversation from '@salesforce/apex/ConversationController.captureConversation';
import getMyOpenOpportunities from '@salesforce/apex/ConversationController.getMyOpenOpportunities';
import { RefreshEventName } from 'lightning/refresh';
import { click, flush, mount } from 'lwc-test-helpers';

const openOpportunities = require('./data/getMyOpenOpportunities.json');

const OPPORTUNITY_ID = '0065g00000FABRKAAA';

describe('c-quick-capture', () => {
  async function render(recordId) {
    const mounted = await mount(QuickCapture, { props: { recordId } });
    const refreshes = [];
    mounted.element.addEventListener(RefreshEventName, (event) => refreshes.push(event));
    return { ...mounted, refreshes };
  }

  const change = (input, value) => input.dispatchEvent(new CustomEvent('change', { detail: { value } }));
  const find = (element, selector) => element.shadowRoot.querySelector(selector);

  it('saves pasted notes for the opportunity it sits on', async () => {
    captureConversation.mockResolvedValue('a015g00000CONV09AAA');
    const { element, toasts, refreshes } = await render(OPPORTUNITY_ID);
    expect(find(element, 'lightning-button.save').disabled).toBe(true);

    change(find(element, 'lightning-textarea.content'), '  Priya: budget is 64k, decision by end of Q2.  ');
    change(find(element, 'lightning-input.title'), 'Lunch with Priya');
    await flush();
    expect(find(element, 'lightning-button.save').disabled).toBe(false);
    await click(element, 'lightning-button.save');

    expect(captureConversation).toHaveBeenCalledWith({
      conversation: {
        Opportunity__c: OPPORTUNITY_ID,
        Source__c: 'Notes',
        Name: 'Lunch with Priya',
        Content__c: 'Priya: budget is 64k, decision by end of Q2.',
        Recording_Document_Id__c: undefined,
      },
    });
    expect(toasts).toEqual([expect.objectContaining({ title: 'Conversation saved', variant: 'success' })]);
    expect(refreshes).toHaveLength(1);
    expect(find(element, 'lightning-textarea.content').value).toBe('');
    expect(getMyOpenOpportunities).not.toHaveBeenCalled();
    await expect(element).toBeAccessible();
  });

  it('saves an attached recording as a voice memo', async () => {
    captureConversation.mockResolvedValue('a015g00000CONV10AAA');
    const { element } = await render(OPPORTUNITY_ID);

    const upload = find(element, 'lightning-file-upload');
    expect(upload.recordId).toBe(OPPORTUNITY_ID);
    upload.dispatchEvent(
      new CustomEvent('uploadfinished', {
        detail: { files: [{ name: 'car-memo.m4a', documentId: '0695g00000MEMOAAA' }] },
      }),
    );
    await flush();
    expect(find(element, '.recording').textContent).toBe('Recording attached: car-memo.m4a');
    await click(element, 'lightning-button.save');

    expect(captureConversation).toHaveBeenCalledWith({
      conversation: expect.objectContaining({
        Source__c: 'Voice Memo',
        Recording_Document_Id__c: '0695g00000MEMOAAA',
        Content__c: undefined,
      }),
    });
  });

  it('on the Home page asks which deal the conversation was about', async () => {
    getMyOpenOpportunities.mockResolvedValue(openOpportunities);
    captureConversation.mockResolvedValue('a015g00000CONV11AAA');
    const { element } = await render(undefined);
    await flush();

    const picker = find(element, 'lightning-combobox.opportunity');
    expect(picker.options).toEqual([
      { label: 'Fabrikam - Pipeline Scribe rollout (Fabrikam)', value: '0065g00000FABRKAAA' },
      { label: 'Tailspin renewal (Tailspin Toys)', value: '0065g00000TAILSAAA' },
    ]);
    change(find(element, 'lightning-textarea.content'), 'Tailspin wants the renewal signed by April.');
    await flush();
    expect(find(element, 'lightning-button.save').disabled).toBe(true);

    change(picker, '0065g00000TAILSAAA');
    await flush();
    await click(element, 'lightning-button.save');

    expect(captureConversation).toHaveBeenCalledWith({
      conversation: expect.objectContaining({ Opportunity__c: '0065g00000TAILSAAA' }),
    });
    await expect(element).toBeAccessible();
  });

  it('tells a rep with no open deal that there is nothing to capture for', async () => {
    getMyOpenOpportunities.mockResolvedValue([]);
    const { element } = await render(undefined);
    await flush();

    expect(find(element, '.no-deals').textContent).toContain('no open opportunities');
  });

  it('keeps what the rep typed and says why when the save fails', async () => {
    captureConversation.mockRejectedValue({
      body: { message: 'Choose the opportunity the conversation was about.' },
    });
    const { element, toasts } = await render(OPPORTUNITY_ID);
    change(find(element, 'lightning-textarea.content'), 'Rough notes');
    await flush();

    await click(element, 'lightning-button.save');

    const [toast, ...more] = toasts;
    expect(more).toEqual([]);
    expect(toast.title).toBe('The conversation was not saved');
    expect(toast.message).toBe('Choose the opportunity the conversation was about.');
    expect([toast.variant, toast.mode]).toEqual(['error', 'sticky']);
    expect(find(element, 'lightning-textarea.content').value).toBe('Rough notes');
  });

  it('starts from a meeting that needs notes: its deal, its title, as a meeting', async () => {
    getMyOpenOpportunities.mockResolvedValue(openOpportunities);
    captureConversation.mockResolvedValue('a015g00000CONV12AAA');
    const mounted = await mount(QuickCapture, {
      props: {
        prefill: {
          opportunityId: '0065g00000TAILSAAA',
          title: 'Pricing review (2026-12-07 14:00 UTC)',
          source: 'Meeting',
        },
      },
    });
    const { element } = mounted;
    const saved = jest.fn();
    element.addEventListener('saved', saved);
    await flush();

    expect(find(element, 'lightning-combobox.opportunity').value).toBe('0065g00000TAILSAAA');
    expect(find(element, 'lightning-input.title').value).toBe('Pricing review (2026-12-07 14:00 UTC)');
    expect(find(element, 'lightning-combobox.source').value).toBe('Meeting');
    change(find(element, 'lightning-textarea.content'), 'They want the 3-year price by Friday.');
    await flush();
    await click(element, 'lightning-button.save');

    expect(captureConversation).toHaveBeenCalledWith({
      conversation: expect.objectContaining({
        Opportunity__c: '0065g00000TAILSAAA',
        Source__c: 'Meeting',
        Name: 'Pricing review (2026-12-07 14:00 UTC)',
      }),
    });
    expect(saved).toHaveBeenCalledTimes(1);
    await expect(element).toBeAccessible();
  });
});
