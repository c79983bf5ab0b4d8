import { LightningElement, api } from 'lwc';

/**
 * What a Pipeline Scribe panel shows before its content: a spinner while loading, the error panel when
 * loading failed, or a sentence when there is nothing to show. The panel renders its own content only
 * when it is ready (`c/ldsUtils` `isReady`), so every panel waits, fails and says "nothing yet" alike.
 */
export default class PanelState extends LightningElement {
  @api loading = false;
  /** The error Lightning Data Service or Apex gave; the panel shows nothing else while it is set. */
  @api errors;
  @api empty = false;
  /** What is loading, for screen readers, e.g. "Loading the deal risk". */
  @api loadingMessage = 'Loading';
  /** What failed, e.g. "Could not load the deal risk". */
  @api errorMessage;
  /** What an empty panel means and what brings content; a panel with its own empty view leaves it unset. */
  @api emptyMessage;

  get showEmpty() {
    return this.empty && Boolean(this.emptyMessage);
  }
}
