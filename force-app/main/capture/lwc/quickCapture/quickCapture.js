import { LightningElement, api } from 'lwc';
import { ShowToastEvent } from 'lightning/platformShowToastEvent';
import { RefreshEvent } from 'lightning/refresh';
import captureConversation from '@salesforce/apex/ConversationController.captureConversation';
import getMyOpenOpportunities from '@salesforce/apex/ConversationController.getMyOpenOpportunities';
import { errorToast } from 'c/ldsUtils';

const SOURCES = [
  { label: 'Notes', value: 'Notes' },
  { label: 'Meeting', value: 'Meeting' },
  { label: 'Email', value: 'Email' },
  { label: 'Voice memo', value: 'Voice Memo' },
];
const RECORDING_FORMATS = ['.mp3', '.m4a', '.wav', '.webm', '.ogg', '.mp4'];

/**
 * Paste notes, forward an email or attach a recording, and Pipeline Scribe turns it into notes and
 * suggestions. On an opportunity it captures for that deal; on the Home page the rep picks the deal.
 */
export default class QuickCapture extends LightningElement {
  @api recordId;

  /**
   * What to start from, such as a meeting that still needs notes (from the next-best-action queue):
   * `{ opportunityId, title, source }`, each optional. The rep can change any of it before saving.
   */
  @api
  get prefill() {
    return this._prefill;
  }
  set prefill(value) {
    this._prefill = value;
    if (!value) return;
    if (value.opportunityId) this.chosenOpportunityId = value.opportunityId;
    if (value.title) this.title = value.title.slice(0, 80);
    if (SOURCES.some((s) => s.value === value.source)) this.source = value.source;
  }
  _prefill;

  sources = SOURCES;
  recordingFormats = RECORDING_FORMATS;
  source = 'Notes';
  title = '';
  content = '';
  chosenOpportunityId;
  recording;
  isSaving = false;
  opportunities = [];
  opportunitiesError;
  opportunitiesLoaded = false;

  connectedCallback() {
    if (!this.recordId) {
      this.loadOpportunities();
    }
  }

  async loadOpportunities() {
    try {
      const data = await getMyOpenOpportunities();
      this.opportunities = data.map((opportunity) => ({
        label: opportunity.Account ? `${opportunity.Name} (${opportunity.Account.Name})` : opportunity.Name,
        value: opportunity.Id,
      }));
      this.opportunitiesError = undefined;
    } catch (error) {
      this.opportunities = [];
      this.opportunitiesError = error;
    } finally {
      this.opportunitiesLoaded = true;
    }
  }

  get onRecordPage() {
    return Boolean(this.recordId);
  }

  get opportunityId() {
    return this.recordId ?? this.chosenOpportunityId;
  }

  get showDealPicker() {
    return !this.onRecordPage;
  }

  get noOpenDeals() {
    return this.opportunitiesLoaded && !this.opportunitiesError && this.opportunities.length === 0;
  }

  get saveDisabled() {
    const hasSomething = this.content.trim().length > 0 || Boolean(this.recording);
    return this.isSaving || !this.opportunityId || !hasSomething;
  }

  get recordingLabel() {
    return this.recording ? `Recording attached: ${this.recording.name}` : '';
  }

  handleOpportunityChange(event) {
    this.chosenOpportunityId = event.detail.value;
  }

  handleSourceChange(event) {
    this.source = event.detail.value;
  }

  handleTitleChange(event) {
    this.title = event.detail.value;
  }

  handleContentChange(event) {
    this.content = event.detail.value;
  }

  handleUploadFinished(event) {
    const [file] = event.detail.files;
    if (file) {
      this.recording = { name: file.name, documentId: file.documentId };
      if (this.source === 'Notes') this.source = 'Voice Memo';
    }
  }

  handleRemoveRecording() {
    this.recording = undefined;
  }

  async handleSave() {
    this.isSaving = true;
    try {
      await captureConversation({
        conversation: {
          Opportunity__c: this.opportunityId,
          Source__c: this.source,
          Name: this.title.trim() || undefined,
          Content__c: this.content.trim() || undefined,
          Recording_Document_Id__c: this.recording?.documentId,
        },
      });
      this.dispatchEvent(
        new ShowToastEvent({
          title: 'Conversation saved',
          message: 'Notes and suggestions appear on the opportunity in a few seconds.',
          variant: 'success',
        }),
      );
      this.reset();
      this.dispatchEvent(new RefreshEvent());
      // A parent that opened the form for one thing (a queued action) closes it.
      this.dispatchEvent(new CustomEvent('saved'));
    } catch (error) {
      this.dispatchEvent(errorToast('The conversation was not saved', error));
    } finally {
      this.isSaving = false;
    }
  }

  reset() {
    this.title = '';
    this.content = '';
    this.recording = undefined;
    this.source = 'Notes';
  }
}
