import { LightningElement, api, wire } from 'lwc';
import { LoadingPanel } from 'c/ldsUtils';
import getRecentConversations from '@salesforce/apex/ConversationController.getRecentConversations';

const SECTIONS = [
  ['Decisions__c', 'Decisions'],
  ['Objections__c', 'Objections'],
  ['Next_Steps__c', 'Next steps'],
  ['Stakeholders__c', 'Stakeholders'],
  ['Budget_Signals__c', 'Budget'],
  ['Timeline_Signals__c', 'Timeline'],
  ['Competitors_Mentioned__c', 'Competitors'],
];

const lines = (text) =>
  (text ?? '')
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean);

/** What the panel says while it loads, when loading failed, and when it is empty. */
const MESSAGES = {
  loading: 'Loading conversation notes',
  error: 'Could not load the conversation notes',
  empty:
    'No conversations on this deal yet. Paste notes or attach a recording in Quick capture, or connect Gong.',
};

/** The structured notes of a deal's latest conversations, newest first. */
export default class ConversationNotes extends LoadingPanel(LightningElement, {
  field: 'conversations',
  messages: MESSAGES,
  reloadsWithPage: true,
}) {
  @api recordId;
  @api maxConversations = 3;

  conversations = [];

  @wire(getRecentConversations, { opportunityId: '$recordId', maxRecords: '$maxConversations' })
  wiredConversations(result) {
    this.takeWired(result, (data) => data.map((item) => this.toView(item)));
  }

  toView(conversation) {
    const status = conversation.Processing_Status__c;
    return {
      id: conversation.Id,
      title: conversation.Name,
      source: conversation.Source__c,
      occurredAt: conversation.Occurred_At__c,
      summary: conversation.Summary__c,
      status,
      isWaiting: status === 'Queued' || status === 'Processing',
      isFailed: status === 'Failed',
      error: conversation.Processing_Error__c,
      sections: SECTIONS.map(([field, label]) => ({
        key: field,
        label,
        items: lines(conversation[field]).map((text, index) => ({ key: `${field}-${index}`, text })),
      })).filter((section) => section.items.length > 0),
    };
  }

  get activeSections() {
    return this.conversations.length > 0 ? [this.conversations[0].id] : [];
  }
}
