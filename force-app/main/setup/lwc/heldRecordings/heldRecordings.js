import { LightningElement, wire } from 'lwc';
import LightningConfirm from 'lightning/confirm';
import getHeldRecordings from '@salesforce/apex/HeldRecordingsController.getHeldRecordings';
import releaseRecording from '@salesforce/apex/HeldRecordingsController.releaseRecording';
import dropRecording from '@salesforce/apex/HeldRecordingsController.dropRecording';
import { LoadingPanel } from 'c/ldsUtils';

const MESSAGES = {
  loading: 'Loading the recordings held for consent',
  error: 'Could not load the recordings held for consent',
  empty: 'No recording is held for consent.',
};

/**
 * For the admin: the call recordings the companion service holds because a participant is in an
 * all-party-consent jurisdiction and the recorder did not say consent was given (Recording Consent
 * Policy = Hold). Each can be released (processed as any other) or dropped (erased).
 */
export default class HeldRecordings extends LoadingPanel(LightningElement, {
  field: 'recordings',
  messages: MESSAGES,
}) {
  recordings = [];

  @wire(getHeldRecordings)
  wiredRecordings(result) {
    this.takeWired(result, (data) =>
      data.map((r) => ({
        ...r,
        heading: r.title || `A ${r.tool} recording`,
        releaseLabel: `Release ${r.title || 'this recording'}`,
        dropLabel: `Drop ${r.title || 'this recording'}`,
      })),
    );
  }

  handleRelease(event) {
    const { id } = event.currentTarget.dataset;
    return this.applyChange('The recording was not released', async () => {
      await releaseRecording({ conversationId: id });
      return {
        title: 'Recording released',
        message: 'It is processed as any other recording now.',
        variant: 'success',
      };
    });
  }

  async handleDrop(event) {
    const { id } = event.currentTarget.dataset;
    const confirmed = await LightningConfirm.open({
      message: 'The recording and its transcript are erased from the service. This cannot be undone.',
      label: 'Drop this recording?',
      theme: 'warning',
    });
    if (!confirmed) return undefined;
    return this.applyChange('The recording was not dropped', async () => {
      await dropRecording({ conversationId: id });
      return { title: 'Recording dropped', message: 'It was erased from the service.', variant: 'success' };
    });
  }
}
