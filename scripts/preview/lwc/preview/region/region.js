import { LightningElement, api } from 'lwc';

const HIGHLIGHTS = 'record_flexipage:dynamicHighlights';

/** The components of one flexipage region, in order; standard components stand in as placeholders. */
export default class Region extends LightningElement {
  @api items = [];
  @api record;

  get entries() {
    return this.items.map((item) => ({
      ...item,
      isPackageComponent: Boolean(item.ctor),
      isHighlights: item.name === HIGHLIGHTS,
    }));
  }
}
