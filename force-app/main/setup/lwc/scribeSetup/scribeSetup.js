import { LightningElement, wire } from 'lwc';
import { refreshApex } from '@salesforce/apex';
import getInstallationChecks from '@salesforce/apex/ScribeSetupController.getInstallationChecks';
import { LoadingPanel } from 'c/ldsUtils';

/** How each verdict looks and reads: an icon a screen reader names, and the word beside it. */
const VERDICTS = {
  passed: { icon: 'utility:success', variant: 'success', label: 'Passed' },
  warning: { icon: 'utility:warning', variant: 'warning', label: 'Needs attention' },
  failed: { icon: 'utility:error', variant: 'error', label: 'Failed' },
};

const MESSAGES = {
  loading: 'Checking the installation',
  error: 'Could not check the installation',
  empty:
    'No check answered. Reload the page; if it stays empty, confirm the Pipeline_Scribe_Admin permission set is assigned to you.',
};

/**
 * For the admin: checks the installation (the integration user and its permission set, the rules in
 * custom metadata, the connection to the companion service, the last pipeline scan, the org's API
 * usage today) and says, for each item that fails, what was found and how to fix it.
 */
export default class ScribeSetup extends LoadingPanel(LightningElement, {
  field: 'report',
  messages: MESSAGES,
}) {
  report;
  isChecking = false;

  @wire(getInstallationChecks)
  wiredChecks(result) {
    this.takeWired(result);
  }

  get hasContent() {
    return Boolean(this.report?.checks?.length);
  }

  get checks() {
    return this.report.checks.map((check) => {
      const verdict = VERDICTS[check.status] ?? VERDICTS.failed;
      return {
        ...check,
        iconName: verdict.icon,
        variant: verdict.variant,
        verdict: verdict.label,
        itemClass: `check check-${check.status} slds-p-vertical_small`,
        // Two details may read alike (the same refusal twice), so each is keyed by its place.
        detailItems: (check.details ?? []).map((text, index) => ({ key: `${check.key}-${index}`, text })),
        hasDetails: Array.isArray(check.details) && check.details.length > 0,
      };
    });
  }

  /** "3 of 5 checks passed; 1 needs attention; 1 failed": the page's answer before its details. */
  get summary() {
    const by = (status) => this.report.checks.filter((check) => check.status === status).length;
    const total = this.report.checks.length;
    const passed = by('passed');
    if (passed === total) return `All ${total} checks passed: Pipeline Scribe is installed and working.`;
    const parts = [`${passed} of ${total} checks passed`];
    if (by('warning')) parts.push(`${by('warning')} need${by('warning') === 1 ? 's' : ''} attention`);
    if (by('failed')) parts.push(`${by('failed')} failed`);
    return `${parts.join('; ')}. Each one below says how to fix it.`;
  }

  get summaryClass() {
    const failing = this.report.checks.some((check) => check.status === 'failed');
    return `summary slds-text-heading_small ${failing ? 'slds-text-color_error' : ''}`;
  }

  get lastScan() {
    return this.report.lastScan;
  }

  get scanFigures() {
    const scan = this.report.lastScan;
    return [
      ['Result', scan.result],
      ['Deals read', scan.dealsRead ?? '—'],
      ['Deals scored', scan.dealsScored ?? '—'],
      ['Records written', scan.recordsWritten ?? 0],
      ['Refused or not sent', scan.failures ?? 0],
      ['API calls', scan.apiCalls ?? 0],
    ].map(([label, value]) => ({
      label,
      value: String(value),
      labelKey: `${label}-label`,
      valueKey: `${label}-value`,
    }));
  }

  get apiUsage() {
    return this.report.apiUsage;
  }

  get apiUsageText() {
    const { used, max, percent } = this.report.apiUsage;
    return `${used.toLocaleString()} of ${max.toLocaleString()} requests in the last 24 hours (${percent}%)`;
  }

  async handleCheckAgain() {
    this.isChecking = true;
    try {
      await refreshApex(this.wiredResult);
    } finally {
      this.isChecking = false;
    }
  }
}
