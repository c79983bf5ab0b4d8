import { LightningElement } from 'lwc';
import Toast from 'lightning/toast';
import { refreshAll } from 'lightning/refresh';
import { SCENARIOS, DEFAULT_SCENARIO } from 'preview/scenarios';
import {
  ORG_USER,
  fetchOrgUser,
  fetchRecord,
  onRecordChange,
  useScenario,
  recordToast,
  recordRefresh,
} from 'preview/backend';
import { APEX_METHODS } from 'preview/fakeOrg';
import FLEXIPAGES from 'virtual:flexipages';

/** A page's short name for the query string: the record page's object, home, or the app page's name. */
function pageValue(page) {
  if (page.type === 'HomePage') return 'home';
  if (page.type === 'RecordPage') return page.objectName.toLowerCase();
  return page.name.toLowerCase().replaceAll('_', '-');
}

/** How many of the package's own components a page places (standard ones are placeholders). */
const packageComponents = (page) =>
  Object.values(page.regions)
    .flat()
    .filter((item) => item.ctor).length;

/** The package's flexipages, record pages first. */
const PAGES = FLEXIPAGES.map((page) => ({
  value: pageValue(page),
  label: page.label,
  page,
})).sort((a, b) => Number(a.page.type !== 'RecordPage') - Number(b.page.type !== 'RecordPage'));

/**
 * The preview gallery: the package's components in one scenario at a time, laid out as the package's
 * flexipages place them on the Opportunity record page, the Home page and the app pages. The scenario and page come
 * from the query string (?scenario=review&page=home) and the pickers. With ?org=live&user=<username>
 * (and &recordId=<id> for a record page) the components call a live local org as that user, and the
 * record page shows that record as the org has it, read again whenever a component changes it.
 */
export default class Gallery extends LightningElement {
  scenarioOptions = SCENARIOS.map((scenario) => ({ label: scenario.label, value: scenario.name }));
  pageOptions = PAGES.map(({ value, label }) => ({ value, label }));
  scenario;
  page;
  description;
  record;
  generation = 0;
  lastNavigation = '';
  orgRecord;
  orgSource = '';

  connectedCallback() {
    window.__preview.pages = PAGES.map(({ value, label, page }) => ({
      value,
      label,
      packageComponents: packageComponents(page),
    }));
    const query = new URLSearchParams(window.location.search);
    const page = query.get('page');
    const scenario = query.get('scenario');
    this.page = PAGES.some((candidate) => candidate.value === page) ? page : PAGES[0].value;
    if (ORG_USER) this.connectOrg(query.get('recordId'));
    this.show(SCENARIOS.some((candidate) => candidate.name === scenario) ? scenario : DEFAULT_SCENARIO);
    this.template.addEventListener('lightning__showtoast', (event) => this.handleToast(event));
    this.template.addEventListener('lightning__refreshevent', (event) => this.handleRefresh(event));
    this.template.addEventListener('preview__navigate', (event) => this.handleNavigate(event));
  }

  /** Shows the org's record at once by its id (the components need no more), then its fields when read. */
  connectOrg(recordId) {
    this.orgRecord = recordId ? { id: recordId } : undefined;
    if (recordId) {
      this.reloadRecord();
      this.stopListening = onRecordChange((ids) => {
        if (ids.some((changed) => changed.recordId === recordId || changed === recordId)) this.reloadRecord();
      });
    }
    fetchOrgUser().then((user) => {
      const fixtures = Object.keys(APEX_METHODS).filter((method) => !user.served.includes(method));
      this.orgSource =
        `Live: Apex answered by the local org as ${user.name} (${user.username}).` +
        (fixtures.length
          ? ` Not emulated by the local org yet, so answered by the scenario: ${fixtures.join(', ')}.`
          : '');
    });
  }

  /** Against a live org the records are the org's; the scenario only answers what it does not emulate. */
  get showsScenarios() {
    return !ORG_USER;
  }

  get subtitle() {
    return ORG_USER
      ? "The package's components from force-app, real base components and SLDS, Apex answered by the local org."
      : "The package's components from force-app, real base components and SLDS, Apex answered by fixtures.";
  }

  disconnectedCallback() {
    this.stopListening?.();
  }

  async reloadRecord() {
    this.orgRecord = await fetchRecord(this.orgRecord.id);
    this.record = this.orgRecord;
  }

  show(scenarioName) {
    const scenario = useScenario(scenarioName);
    this.scenario = scenario.name;
    this.description = ORG_USER ? '' : scenario.description;
    this.record = ORG_USER ? this.orgRecord : scenario.state.opportunity;
    this.lastNavigation = '';
    this.generation += 1;
    const org = ORG_USER
      ? `&org=live&user=${encodeURIComponent(ORG_USER)}${this.orgRecord ? `&recordId=${this.orgRecord.id}` : ''}`
      : '';
    window.history.replaceState(null, '', `?scenario=${this.scenario}&page=${this.page}${org}`);
  }

  get views() {
    return [
      {
        key: `${this.scenario}-${this.page}-${this.generation}`,
        flexipage: PAGES.find((candidate) => candidate.value === this.page).page,
      },
    ];
  }

  handleScenarioChange(event) {
    this.show(event.detail.value);
  }

  handlePageChange(event) {
    this.page = event.detail.value;
    this.show(this.scenario);
  }

  /** Shows a component's toast with the lightning-toast base component, as Lightning Experience would. */
  handleToast(event) {
    event.stopPropagation();
    const { title, message, variant, mode } = event.detail;
    recordToast({ title, message, variant, mode });
    // The platform's toasts are dismissible unless a component asks otherwise; lightning-toast's own
    // default is sticky.
    Toast.show({ label: title, message, variant, mode: mode ?? 'dismissible' });
  }

  handleRefresh(event) {
    event.stopPropagation();
    recordRefresh();
    refreshAll();
    if (ORG_USER && this.orgRecord) this.reloadRecord();
  }

  handleNavigate(event) {
    const { pageReference } = event.detail;
    const target = pageReference.attributes?.recordId ?? pageReference.type;
    this.lastNavigation = `Lightning Experience would open ${target} here.`;
  }
}
