import { LightningElement, api, wire } from 'lwc';
import getProvenance from '@salesforce/apex/FieldProvenanceController.getProvenance';
import revertValue from '@salesforce/apex/FieldProvenanceController.revertValue';
import { RefreshEvent } from 'lightning/refresh';
import { LoadingPanel, formatFieldValue } from 'c/ldsUtils';

/** A provenance record as the list shows it: who set it from which conversation, and whether it still stands. */
function toEntry(value) {
  return {
    ...value,
    setBy: value.conversationName
      ? `Set by ${value.appliedBy} from ${value.conversationName}`
      : `Set by ${value.appliedBy}`,
    changedSince: !value.isCurrent && !value.revertedAt,
    revertLabel: `Revert ${value.fieldLabel}`,
  };
}

/** What the panel says while it loads, when loading failed, and when it is empty. */
const MESSAGES = {
  loading: 'Loading where the values came from',
  error: 'Could not load where the values came from',
  empty: 'No value on this record was set by Pipeline Scribe yet.',
};

/** Who or what set each field from a conversation, from which quote; revert while the value still stands. */
export default class FieldProvenance extends LoadingPanel(LightningElement, {
  field: 'values',
  messages: MESSAGES,
  reloadsWithPage: true,
}) {
  @api recordId;

  values = [];
  revertingId;

  @wire(getProvenance, { recordId: '$recordId' })
  wiredProvenance(result) {
    this.takeWired(result, (data) => data.map(toEntry));
  }

  get isReverting() {
    return Boolean(this.revertingId);
  }

  async handleRevert(event) {
    const provenanceId = event.target.dataset.id;
    this.revertingId = provenanceId;
    await this.applyChange('Nothing was reverted', async () => {
      const outcome = await revertValue({ provenanceId });
      const reverted = outcome.status === 'Reverted';
      const entry = this.values.find((value) => value.id === provenanceId);
      return {
        title: reverted ? 'Value reverted' : 'Nothing was reverted',
        message:
          reverted && entry
            ? `${entry.fieldLabel} is back to ${formatFieldValue(outcome.appliedValue, entry.displayType, entry.currencyCode)}.`
            : outcome.message,
        variant: reverted ? 'success' : 'warning',
      };
    });
    // The suggestions panel shows what each field holds now, which the revert just changed.
    this.dispatchEvent(new RefreshEvent());
    this.revertingId = undefined;
  }
}
