import { LightningElement, api } from 'lwc';
import { reduceErrors } from 'c/ldsUtils';

/** The one way Pipeline Scribe components show an error: what failed, then the messages Salesforce gave. */
export default class ErrorPanel extends LightningElement {
  /** What the rep was trying to see or do, e.g. "Could not load the suggestions". */
  @api friendlyMessage = 'Something went wrong';
  @api errors;

  get messages() {
    return reduceErrors(this.errors).map((text, index) => ({ key: `message-${index}`, text }));
  }

  get hasMessages() {
    return this.messages.length > 0;
  }
}
