import { LightningElement, api } from 'lwc';

const RECORD_TEMPLATE = 'flexipage:recordHomeTemplateDesktop';
const HOME_TEMPLATE = 'home:desktopTemplate';
const APP_TEMPLATE = 'flexipage:defaultAppHomeTemplate';

/**
 * One of the package's flexipages, laid out the way its Lightning template arranges the regions:
 * the record page as header over main (two thirds) and sidebar (one third); the Home page as top over
 * bottom left and bottom right in the main column, and the sidebar; an app page as one main region
 * across the page.
 */
export default class Flexipage extends LightningElement {
  /** A page from virtual:flexipages. */
  @api page;
  /** The record a record page shows, with the fields its highlights panel shows. */
  @api record;

  get isRecordPage() {
    return this.page.template === RECORD_TEMPLATE;
  }

  get isHomePage() {
    return this.page.template === HOME_TEMPLATE;
  }

  get isAppPage() {
    return this.page.template === APP_TEMPLATE;
  }

  get unknownTemplate() {
    return !this.isRecordPage && !this.isHomePage && !this.isAppPage;
  }

  region(name) {
    const recordId = this.isRecordPage ? this.record?.id : undefined;
    return (this.page.regions[name] ?? []).map((item) => ({
      ...item,
      properties: recordId ? { ...item.properties, recordId } : item.properties,
    }));
  }

  get header() {
    return this.region('header');
  }

  get main() {
    return this.region('main');
  }

  get top() {
    return this.region('top');
  }

  get bottomLeft() {
    return this.region('bottomLeft');
  }

  get bottomRight() {
    return this.region('bottomRight');
  }

  get sidebar() {
    return this.region('sidebar');
  }
}
