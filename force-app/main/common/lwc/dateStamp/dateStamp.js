import { LightningElement, api } from 'lwc';

/** The parts each precision shows; without one, the platform's own default date. */
const PRECISIONS = {
  day: { year: 'numeric', month: 'short', day: 'numeric' },
  minute: { year: 'numeric', month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit' },
};

/**
 * A date or moment as every Pipeline Scribe component shows it, in the rep's locale: `precision="day"`
 * (Mar 6, 2026), `precision="minute"` (with the time), or the platform's default date. A date-only field
 * (a close date) passes `time-zone="UTC"` so it reads as the same day everywhere; `due` reads
 * "· due <date>" for the due date of a task or an action, which is date-only too.
 */
export default class DateStamp extends LightningElement {
  /** An ISO date or date-time, as Apex returns it. */
  @api value;
  /** 'day', 'minute', or unset. */
  @api precision;
  @api timeZone;
  @api due = false;

  get parts() {
    return PRECISIONS[this.precision] ?? {};
  }

  get zone() {
    return this.due ? 'UTC' : this.timeZone;
  }

  get dateClass() {
    return this.due ? 'slds-m-left_xx-small' : '';
  }
}
