import { LightningElement, wire } from 'lwc';
import { NavigationMixin } from 'lightning/navigation';
import getActionQueue from '@salesforce/apex/NextBestActionController.getActionQueue';
import updateActionStatus from '@salesforce/apex/NextBestActionController.updateActionStatus';
import { LoadingPanel, openRecordLink } from 'c/ldsUtils';

const SNOOZED = 'Snoozed';
/** The buttons of each action, in order, with the status (Status__c picklist value) each one sets. */
const STATUS_CHOICES = [
  { name: 'done', label: 'Done', status: 'Done' },
  { name: 'snooze', label: 'Snooze', status: SNOOZED },
  { name: 'dismiss', label: 'Dismiss', status: 'Dismissed' },
];

/** Action_Type__c of an ask for a meeting's notes, and the words its Action__c starts with before the meeting. */
const MEETING_NOTES = 'Add Meeting Notes';
const MEETING_NOTES_PREFIX = 'Add notes for ';

const formatDay = (isoDate) =>
  new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeZone: 'UTC' }).format(new Date(isoDate));

/** A queued action as the list shows it, numbered from 1. */
function toItem(action, index) {
  return {
    id: action.Id,
    position: index + 1,
    action: action.Action__c,
    why: action.Why__c,
    dueDate: action.Due_Date__c,
    opportunityId: action.Opportunity__c,
    opportunityName: action.Opportunity__r?.Name,
    accountName: action.Opportunity__r?.Account?.Name,
    opportunityUrl: action.Opportunity__c ? `/${action.Opportunity__c}` : undefined,
    // The service writes the meeting's subject and time after the prefix (domain/calendar/meeting-notes.ts).
    meeting:
      action.Action_Type__c === MEETING_NOTES && action.Opportunity__c
        ? action.Action__c.replace(MEETING_NOTES_PREFIX, '')
        : undefined,
  };
}

/** What the panel says while it loads, when loading failed, and when it is empty. */
const MESSAGES = {
  loading: 'Loading your next best actions',
  error: 'Could not load your next best actions',
  empty: 'Nothing urgent today. New actions appear as your deals change.',
};

/** The rep's ranked actions for the day, each with why; done, snooze or dismiss in one click. */
export default class NextBestActionQueue extends LoadingPanel(NavigationMixin(LightningElement), {
  field: 'actions',
  messages: MESSAGES,
}) {
  actions = [];
  statusChoices = STATUS_CHOICES;
  updatingId;
  capturingId;

  @wire(getActionQueue)
  wiredQueue(result) {
    this.takeWired(result, (data) => data.map(toItem));
  }

  /** The actions with, for the one whose notes are being added, what the capture form starts from. */
  get rows() {
    return this.actions.map((item) => ({
      ...item,
      capture:
        item.id === this.capturingId
          ? { opportunityId: item.opportunityId, title: item.meeting, source: 'Meeting' }
          : undefined,
    }));
  }

  handleAddNotes(event) {
    const { id } = event.currentTarget.dataset;
    this.capturingId = this.capturingId === id ? undefined : id;
  }

  handleNotesSaved() {
    this.capturingId = undefined;
  }

  get isUpdating() {
    return Boolean(this.updatingId);
  }

  handleOpen(event) {
    openRecordLink(this, event);
  }

  handleStatusChoice(event) {
    const choice = STATUS_CHOICES.find((status) => status.name === event.detail.name);
    this.update(event.currentTarget.dataset.id, choice.status);
  }

  async update(actionId, status) {
    this.updatingId = actionId;
    await this.applyChange('The action was not updated', async () => {
      const updated = await updateActionStatus({ actionId, status, snoozeUntil: null });
      const title =
        status === SNOOZED
          ? `Snoozed until ${formatDay(updated.Snoozed_Until__c)}`
          : `Marked ${status.toLowerCase()}`;
      return { title, variant: 'success' };
    });
    this.updatingId = undefined;
  }
}
