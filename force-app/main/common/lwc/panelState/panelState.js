import { LightningElement, api } from 'lwc';

/**
 * What a Pipeline Scribe panel shows before its content: a spinner while loading, the error panel when
 * loading failed, or a sentence when there is nothing to show. The panel hands over its state with
 * `panelState` (c/ldsUtils) and renders its own content only when it is ready, so every panel waits,
 * fails and says "nothing yet" alike.
 */
export default class PanelState extends LightningElement {
  /**
   * `{ isLoading, errors, isEmpty, messages: { loading, error, empty } }`: the error Lightning Data
   * Service or Apex gave, and what the panel says while loading (for screen readers), when loading
   * failed, and when it is empty. A panel with its own empty view leaves `messages.empty` unset.
   */
  @api state = { isLoading: false, errors: undefined, isEmpty: false, messages: {} };

  get messages() {
    return this.state.messages ?? {};
  }

  get showEmpty() {
    return Boolean(this.state.isEmpty && this.messages.empty);
  }
}
