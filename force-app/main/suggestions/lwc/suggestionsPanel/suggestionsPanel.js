import { LightningElement, api, wire } from 'lwc';
import getSuggestions from '@salesforce/apex/SuggestionController.getSuggestions';
import decideSuggestions from '@salesforce/apex/SuggestionController.decideSuggestions';
import { LoadingPanel } from 'c/ldsUtils';

const NEEDS_ATTENTION = new Set(['Stale', 'Failed']);
const GROUPS = [
  { type: 'Stage', title: 'Stage' },
  { type: 'Field', title: 'Field changes' },
  { type: 'Task', title: 'Next steps to add as tasks' },
  { type: 'Contact', title: 'People to add' },
  { type: 'Opportunity Match', title: 'Deal to link' },
];
const STATUS_WORDS = {
  Accepted: 'accepted',
  Edited: 'edited',
  Rejected: 'rejected',
  Stale: 'stale',
  Failed: 'failed',
};

/** Summarises what happened to a batch of decisions in one toast a rep can act on. */
export function toastFor(outcomes) {
  const counts = new Map();
  for (const outcome of outcomes) counts.set(outcome.status, (counts.get(outcome.status) ?? 0) + 1);
  const title = [...counts]
    .map(([status, count]) => `${count} ${STATUS_WORDS[status] ?? status.toLowerCase()}`)
    .join(', ');
  const problems = outcomes.filter((outcome) => NEEDS_ATTENTION.has(outcome.status) && outcome.message);
  return {
    title,
    message: problems.map((outcome) => outcome.message).join(' '),
    variant: problems.length > 0 ? 'warning' : 'success',
    mode: problems.length > 0 ? 'sticky' : 'dismissible',
  };
}

/** What the panel says while it loads, when loading failed, and when it is empty. */
const MESSAGES = {
  loading: 'Loading suggestions',
  error: 'Could not load the suggestions',
  empty: 'Nothing to review. Suggestions appear here a few seconds after a call, an email or captured notes.',
};

/**
 * The suggestions Pipeline Scribe made for a deal from its conversations: the stage move with reasons
 * and quotes, field changes current → proposed, tasks, contacts; accept, edit or reject one or all.
 * Stale and failed ones are kept apart with the reason.
 */
export default class SuggestionsPanel extends LoadingPanel(LightningElement, {
  field: 'suggestions',
  messages: MESSAGES,
}) {
  @api recordId;

  suggestions = [];
  isSaving = false;

  @wire(getSuggestions, { opportunityId: '$recordId' })
  wiredSuggestions(result) {
    this.takeWired(result);
  }

  get pending() {
    return this.suggestions.filter((suggestion) => !NEEDS_ATTENTION.has(suggestion.status));
  }

  /** The pending suggestions by type, then the stale and failed ones apart; only sections with items. */
  get sections() {
    const groups = GROUPS.map((group) => ({
      key: group.type,
      className: 'group slds-m-bottom_small',
      title: group.title,
      items: this.pending.filter((suggestion) => suggestion.type === group.type),
    }));
    const needsAttention = {
      key: 'needs-attention',
      className: 'needs-attention slds-m-bottom_small',
      title: 'Needs your attention',
      items: this.suggestions.filter((suggestion) => NEEDS_ATTENTION.has(suggestion.status)),
    };
    return [...groups, needsAttention].filter((section) => section.items.length > 0);
  }

  get title() {
    return this.pending.length > 0 ? `Suggestions (${this.pending.length})` : 'Suggestions';
  }

  /** Accept or reject every pending suggestion at once; nothing to do while saving or with none pending. */
  get bulkChoices() {
    const disabled = this.isSaving || this.pending.length === 0;
    return [
      { name: 'accept-all', label: 'Accept all', variant: 'brand', disabled },
      { name: 'reject-all', label: 'Reject all', disabled },
    ];
  }

  handleDecide(event) {
    this.decide([event.detail]);
  }

  handleBulkChoice(event) {
    const action = event.detail.name === 'accept-all' ? 'accept' : 'reject';
    this.decide(this.pending.map((suggestion) => ({ suggestionId: suggestion.id, action })));
  }

  async decide(decisions) {
    this.isSaving = true;
    await this.applyChange('Nothing was changed', async () =>
      toastFor(await decideSuggestions({ decisions })),
    );
    this.isSaving = false;
  }
}
