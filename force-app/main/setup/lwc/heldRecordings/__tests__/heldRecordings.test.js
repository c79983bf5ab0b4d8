import HeldRecordings from 'c/heldRecordings';
import getHeldRecordings from '@salesforce/apex/HeldRecordingsController.getHeldRecordings';
import releaseRecording from '@salesforce/apex/HeldRecordingsController.releaseRecording';
import dropRecording from '@salesforce/apex/HeldRecordingsController.dropRecording';
import LightningConfirm from 'lightning/confirm';
import { refreshApex } from '@salesforce/apex';
import { flush, itShowsPanelStates, mount } from 'lwc-test-helpers';

jest.mock('@salesforce/apex', () => ({ refreshApex: jest.fn(() => Promise.resolve()) }), { virtual: true });
jest.mock('lightning/confirm', () => ({ __esModule: true, default: { open: jest.fn() } }));

const held = require('./data/getHeldRecordings.json');

describe('c-held-recordings', () => {
  const render = () => mount(HeldRecordings, { wire: getHeldRecordings, data: held });
  const text = (node) => node.textContent.replace(/\s+/g, ' ').trim();
  const button = (element, id, which) =>
    element.shadowRoot.querySelector(`li.recording[data-id="${id}"] lightning-button.${which}`);

  itShowsPanelStates(HeldRecordings, {
    wire: getHeldRecordings,
    loading: 'Loading the recordings held for consent',
    error: 'Could not load the recordings held for consent',
    empty: { data: [], says: 'No recording is held for consent.' },
  });

  it('lists each held recording with where its participant is and why it is held', async () => {
    const { element } = await render();
    const items = [...element.shadowRoot.querySelectorAll('li.recording')];
    expect(items.map((li) => text(li.querySelector('.title')))).toEqual([
      'Discovery with Fabrikam',
      'A fireflies recording',
    ]);
    expect(text(items[0].querySelector('.meta'))).toContain('fathom · US-CA · held');
    expect(text(items[0].querySelector('.reason'))).toContain('Ana Lopez is in US-CA');
    await expect(element).toBeAccessible();
  });

  it('releases a recording, says so, and loads the list again', async () => {
    releaseRecording.mockResolvedValue(undefined);
    const { element, toasts } = await render();
    button(element, 'c_0123456789abcdef', 'release').click();
    await flush();
    expect(releaseRecording).toHaveBeenCalledWith({ conversationId: 'c_0123456789abcdef' });
    expect(toasts[0]).toMatchObject({ title: 'Recording released', variant: 'success' });
    expect(refreshApex).toHaveBeenCalledTimes(1);
  });

  it('drops a recording only once the admin confirms', async () => {
    dropRecording.mockResolvedValue(undefined);
    LightningConfirm.open.mockResolvedValueOnce(false);
    const { element, toasts } = await render();
    button(element, 'c_fedcba9876543210', 'drop').click();
    await flush();
    expect(dropRecording).not.toHaveBeenCalled();

    LightningConfirm.open.mockResolvedValueOnce(true);
    button(element, 'c_fedcba9876543210', 'drop').click();
    await flush();
    expect(dropRecording).toHaveBeenCalledWith({ conversationId: 'c_fedcba9876543210' });
    expect(toasts.at(-1)).toMatchObject({ title: 'Recording dropped', variant: 'success' });
  });

  it('says why, in a sticky toast, when the service refuses', async () => {
    releaseRecording.mockRejectedValue({
      body: { message: 'The Pipeline Scribe service answered HTTP 404: id: no recording' },
    });
    const { element, toasts } = await render();
    button(element, 'c_0123456789abcdef', 'release').click();
    await flush();
    expect(toasts[0]).toMatchObject({
      title: 'The recording was not released',
      message: 'The Pipeline Scribe service answered HTTP 404: id: no recording',
      variant: 'error',
      mode: 'sticky',
    });
  });
});
