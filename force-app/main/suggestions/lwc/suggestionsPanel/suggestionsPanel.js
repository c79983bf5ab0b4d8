import { LightningElement, api, wire } from 'lwc';
import getSuggestions from '@salesforce/apex/SuggestionController.getSuggestions';
import decideSuggestions from '@salesforce/apex/SuggestionController.decideSuggestions';
import LightningConfirm from 'lightning/confirm';
import { ShowToastEvent } from 'lightning/platformShowToastEvent';
import { RefreshEvent } from 'lightning/refresh';
import { LoadingPanel } from 'c/ldsUtils';

const NEEDS_ATTENTION = new Set(['Stale', 'Failed']);
/** Outcomes whose message the rep must read: the stale and failed ones, and those still waiting for them. */
const EXPLAINED = new Set([...NEEDS_ATTENTION, 'Pending']);
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
  Pending: 'waiting for you',
};

/** What "Accept all" left for the rep to confirm one at a time. */
export function waitingSentence(count) {
  if (count === 0) return '';
  return count === 1
    ? '1 stage move waits for your confirmation: accept it on its own.'
    : `${count} stage moves wait for your confirmation: accept each on its own.`;
}

/**
 * The move a decision on a stage suggestion makes: close, back, unknown (a stage the rules do not
 * define), or undefined for a move forward or anything that is not a stage move. An edit is judged by
 * the stage the rep chose, as SuggestionService judges it.
 */
export function stageMoveOf(suggestion, decision) {
  if (suggestion?.type !== 'Stage' || decision.action === 'reject') return undefined;
  if (decision.action === 'edit') {
    const chosen = (suggestion.options ?? []).find((option) => option.value === decision.editedValue);
    return chosen ? (chosen.stageMove ?? undefined) : 'unknown';
  }
  return suggestion.needsConfirmation ? (suggestion.stageMove ?? 'unknown') : undefined;
}

/** The question a rep answers before a stage move that closes the deal or moves it back. */
export function confirmationFor(suggestion, move, toStage) {
  const deal = suggestion.opportunityName || 'this deal';
  const from = suggestion.currentValue || suggestion.valueAtSuggestion;
  const fromStage = from ? ` from ${from}` : '';
  if (move === 'back') return `Move ${deal}${fromStage} back to ${toStage}?`;
  if (move === 'close') return `Move ${deal}${fromStage} to ${toStage}? This closes the deal.`;
  return `Move ${deal}${fromStage} to ${toStage}? Pipeline Scribe has no rule for ${toStage}, so check it does not close the deal or move it back.`;
}

/** Summarises what happened to a batch of decisions in one toast a rep can act on. */
export function toastFor(outcomes, waiting = 0) {
  const counts = new Map();
  for (const outcome of outcomes) counts.set(outcome.status, (counts.get(outcome.status) ?? 0) + 1);
  const title = [...counts]
    .map(([status, count]) => `${count} ${STATUS_WORDS[status] ?? status.toLowerCase()}`)
    .join(', ');
  const problems = outcomes.filter((outcome) => EXPLAINED.has(outcome.status) && outcome.message);
  const sentences = [...problems.map((outcome) => outcome.message), waitingSentence(waiting)];
  let variant = 'success';
  if (problems.length > 0) variant = 'warning';
  else if (waiting > 0) variant = 'info';
  return {
    title,
    message: sentences.filter(Boolean).join(' '),
    variant,
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
 * Stale and failed ones are kept apart with the reason. A stage move that closes the deal or moves it
 * back is never in "Accept all": the rep accepts it on its own and confirms it.
 */
export default class SuggestionsPanel extends LoadingPanel(LightningElement, {
  field: 'suggestions',
  messages: MESSAGES,
  reloadsWithPage: true,
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

  async handleDecide(event) {
    const decision = event.detail;
    const suggestion = this.suggestions.find((candidate) => candidate.id === decision.suggestionId);
    const move = stageMoveOf(suggestion, decision);
    if (!move) {
      await this.decide([decision]);
      return;
    }
    const toStage = decision.action === 'edit' ? decision.editedValue : suggestion.proposedValue;
    const confirmed = await LightningConfirm.open({
      message: confirmationFor(suggestion, move, toStage),
      label: 'Confirm the stage',
      theme: 'warning',
    });
    if (confirmed) await this.decide([{ ...decision, confirmed: true }]);
  }

  /** Reject all rejects everything; accept all leaves the stage moves that need a confirmation each. */
  async handleBulkChoice(event) {
    if (event.detail.name === 'reject-all') {
      await this.decide(
        this.pending.map((suggestion) => ({ suggestionId: suggestion.id, action: 'reject' })),
      );
      return;
    }
    const waiting = this.pending.filter((suggestion) => suggestion.needsConfirmation);
    const ready = this.pending.filter((suggestion) => !suggestion.needsConfirmation);
    if (ready.length === 0) {
      this.dispatchEvent(
        new ShowToastEvent({
          title: 'Nothing accepted',
          message: waitingSentence(waiting.length),
          variant: 'info',
        }),
      );
      return;
    }
    await this.decide(
      ready.map((suggestion) => ({ suggestionId: suggestion.id, action: 'accept' })),
      waiting.length,
    );
  }

  async decide(decisions, waiting = 0) {
    this.isSaving = true;
    await this.applyChange('Nothing was changed', async () =>
      toastFor(await decideSuggestions({ decisions }), waiting),
    );
    // The provenance panel lists each value just applied, with its Revert: the rep's undo.
    this.dispatchEvent(new RefreshEvent());
    this.isSaving = false;
  }
}
