import { LightningElement, api, wire } from 'lwc';
import { refreshApex } from '@salesforce/apex';
import { ShowToastEvent } from 'lightning/platformShowToastEvent';
import { notifyRecordUpdateAvailable } from 'lightning/uiRecordApi';
import getProvenance from '@salesforce/apex/FieldProvenanceController.getProvenance';
import revertValue from '@salesforce/apex/FieldProvenanceController.revertValue';
import { reduceErrors } from 'c/ldsUtils';

/** Who or what set each field from a conversation, from which quote; revert while the value still stands. */
export default class FieldProvenance extends LightningElement {
  @api recordId;

  values = [];
  error;
  isLoading = true;
  revertingId;
  wiredResult;

  @wire(getProvenance, { recordId: '$recordId' })
  wiredProvenance(result) {
    this.wiredResult = result;
    if (result.data) {
      this.values = result.data.map((value) => ({
        ...value,
        setBy: value.conversationName
          ? `Set by ${value.appliedBy} from ${value.conversationName}`
          : `Set by ${value.appliedBy}`,
        changedSince: !value.isCurrent && !value.revertedAt,
        revertLabel: `Revert ${value.fieldLabel}`,
      }));
      this.error = undefined;
      this.isLoading = false;
    } else if (result.error) {
      this.values = [];
      this.error = result.error;
      this.isLoading = false;
    }
  }

  get isReverting() {
    return Boolean(this.revertingId);
  }

  get isEmpty() {
    return !this.isLoading && !this.error && this.values.length === 0;
  }

  async handleRevert(event) {
    const provenanceId = event.target.dataset.id;
    this.revertingId = provenanceId;
    try {
      const outcome = await revertValue({ provenanceId });
      const reverted = outcome.status === 'Reverted';
      this.dispatchEvent(
        new ShowToastEvent({
          title: reverted ? 'Value reverted' : 'Nothing was reverted',
          message: outcome.message,
          variant: reverted ? 'success' : 'warning',
        }),
      );
      await notifyRecordUpdateAvailable([{ recordId: this.recordId }]);
      await refreshApex(this.wiredResult);
    } catch (error) {
      this.dispatchEvent(
        new ShowToastEvent({
          title: 'Nothing was reverted',
          message: reduceErrors(error).join(' '),
          variant: 'error',
          mode: 'sticky',
        }),
      );
    } finally {
      this.revertingId = undefined;
    }
  }
}
