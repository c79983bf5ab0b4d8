import { LightningElement, api } from 'lwc';

/** Stands in for the record page's highlights panel: the opportunity's name and key fields. */
export default class Highlights extends LightningElement {
  @api record;
}
