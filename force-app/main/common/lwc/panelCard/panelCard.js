import { LightningElement, api } from 'lwc';

/**
 * The card of a Pipeline Scribe panel: its title and icon, then what c-panel-state shows while the panel
 * loads, failed or is empty, and the panel's own content (the default slot) only once it is ready.
 */
export default class PanelCard extends LightningElement {
  @api title;
  @api iconName;
  /** The panel's state as `panelState` (c/ldsUtils) gives it. */
  @api state = { isLoading: false, errors: undefined, isEmpty: false, messages: {} };

  get isReady() {
    return !this.state.isLoading && !this.state.errors && !this.state.isEmpty;
  }
}
