import { LightningElement, api } from 'lwc';
import LOCALE from '@salesforce/i18n/locale';

const HEADINGS = {
  Stage: () => 'Stage',
  Field: (s) => s.fieldLabel,
  Task: () => 'Next step',
  Contact: () => 'New contact',
  'Opportunity Match': () => 'Which deal is this conversation about?',
};

/**
 * The label of the editor's value, by type: the heading names a card ("New contact"), the editor names
 * what is typed in it, so a contact's reads "Contact name", never "New New contact".
 */
const EDIT_LABELS = {
  Stage: (s) => `New ${s.fieldLabel}`,
  Field: (s) => `New ${s.fieldLabel}`,
  Task: () => 'Task subject',
  Contact: () => 'Contact name',
  'Opportunity Match': () => 'Deal',
};

const PERCENT = new Intl.NumberFormat(LOCALE, { style: 'percent', maximumFractionDigits: 0 });

/** Why a stage move is left out of "Accept all", by the move it makes (SuggestionView.stageMove). */
/**
 * lightning-input's formatters by display type: Salesforce keeps a percent field as 0-100, which
 * `percent-fixed` shows as it is (`percent` would read 10 as 1,000%).
 */
const EDITOR_FORMATTERS = { currency: 'currency', percent: 'percent-fixed' };

const WHY_CONFIRM = {
  close: 'Closing a deal is always your call',
  back: 'This moves the deal back a stage',
  unknown: 'Pipeline Scribe has no rule for this stage',
};

/**
 * One suggestion with its evidence, and accept, edit or reject. It only says what the rep decided (a
 * `decide` event with the suggestion id, action and any edited value); the panel applies it.
 */
export default class SuggestionItem extends LightningElement {
  @api suggestion;
  @api disabled = false;

  isEditing = false;
  editedValue;
  editedDueDate;

  get heading() {
    const heading = HEADINGS[this.suggestion.type];
    return heading ? heading(this.suggestion) : this.suggestion.type;
  }

  get isChange() {
    return this.suggestion.type === 'Stage' || this.suggestion.type === 'Field';
  }

  get isTask() {
    return this.suggestion.type === 'Task';
  }

  /** Only High stands out: Normal is every task's default, and Low needs no flag. */
  get isUrgentTask() {
    return this.isTask && this.suggestion.taskPriority === 'High';
  }

  get isContact() {
    return this.suggestion.type === 'Contact';
  }

  get confidenceLabel() {
    const confidence = this.suggestion.confidence;
    return confidence === null || confidence === undefined
      ? 'Confidence unknown'
      : `${PERCENT.format(confidence)} sure`;
  }

  get contactDetails() {
    const s = this.suggestion;
    const mobile = s.contactMobile ? `mobile ${s.contactMobile}` : null;
    return [s.contactTitle, s.contactRole, s.contactEmail, s.contactPhone, mobile]
      .filter(Boolean)
      .join(' · ');
  }

  get reasons() {
    return (this.suggestion.reasons ?? []).map((text, index) => ({ key: `reason-${index}`, text }));
  }

  /** For a stage move that closes the deal or moves it back: it is never accepted with the others. */
  get confirmationNote() {
    if (!this.suggestion.needsConfirmation) return '';
    const why = WHY_CONFIRM[this.suggestion.stageMove] ?? WHY_CONFIRM.unknown;
    return `${why}: "Accept all" leaves it for you, and accepting it asks you to confirm.`;
  }

  get isStale() {
    return this.suggestion.status === 'Stale';
  }

  get isFailed() {
    return this.suggestion.status === 'Failed';
  }

  get acceptLabel() {
    if (this.isStale) return 'Replace anyway';
    if (this.isFailed) return 'Try again';
    return 'Accept';
  }

  get rejectLabel() {
    return this.isStale ? 'Keep current' : 'Reject';
  }

  /** The choices on a suggestion not being edited, worded for its status. */
  get decisions() {
    return [
      { name: 'accept', label: this.acceptLabel, variant: 'brand' },
      { name: 'edit', label: 'Edit' },
      { name: 'reject', label: this.rejectLabel },
    ];
  }

  get editorChoices() {
    return [
      { name: 'save', label: 'Save and apply', variant: 'brand', disabled: this.saveDisabled },
      { name: 'cancel', label: 'Cancel' },
    ];
  }

  get editorIsPicklist() {
    return this.suggestion.inputType === 'picklist';
  }

  get editorIsTextarea() {
    return this.suggestion.inputType === 'textarea';
  }

  get editorInputType() {
    return ['date', 'number'].includes(this.suggestion.inputType) ? this.suggestion.inputType : 'text';
  }

  /** An amount or a percentage reads as one while the rep is not typing in the box. */
  get editorFormatter() {
    return EDITOR_FORMATTERS[this.suggestion.displayType];
  }

  get editLabel() {
    const label = EDIT_LABELS[this.suggestion.type];
    return label ? label(this.suggestion) : 'New value';
  }

  get saveDisabled() {
    return this.disabled || (!this.editedValue && !this.editedDueDate);
  }

  handleDecision(event) {
    const action = event.detail.name;
    if (action === 'edit') {
      this.editedValue = this.suggestion.proposedValue;
      this.editedDueDate = this.suggestion.dueDate;
      this.isEditing = true;
    } else {
      this.decide(action);
    }
  }

  handleValueChange(event) {
    this.editedValue = event.detail.value;
  }

  handleDueDateChange(event) {
    this.editedDueDate = event.detail.value;
  }

  handleEditorChoice(event) {
    if (event.detail.name === 'save') this.decide('edit', this.editedValue, this.editedDueDate);
    this.isEditing = false;
  }

  decide(action, editedValue, editedDueDate) {
    this.dispatchEvent(
      new CustomEvent('decide', {
        detail: {
          suggestionId: this.suggestion.id,
          action,
          ...(action === 'edit' ? { editedValue, editedDueDate } : {}),
        },
      }),
    );
  }
}
