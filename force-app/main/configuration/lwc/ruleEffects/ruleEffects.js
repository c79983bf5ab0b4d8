import { LightningElement, wire } from 'lwc';
import { NavigationMixin } from 'lightning/navigation';
import getRuleEffects from '@salesforce/apex/RuleEffectsController.getRuleEffects';
import { LoadingPanel } from 'c/ldsUtils';

/** Where sales ops edit the rules: the custom metadata types list in Setup (no org-specific id). */
const CUSTOM_METADATA_SETUP = '/lightning/setup/CustomMetadata/home';

/**
 * The sections of the page, in the order sales ops tune them, and what each counts. Suggestion rules
 * are judged by how reps decided their suggestions; risk rules by how reps closed the actions they
 * recommend; buying-phase rules leave nothing a rep decides.
 */
const SECTIONS = [
  { kind: 'fieldPolicy', title: 'Field policies', target: 'Field', columns: 'suggestions' },
  { kind: 'stageDefinition', title: 'Stage definitions', target: 'Stage', columns: 'suggestions' },
  { kind: 'competitor', title: 'Competitors', target: 'Competitor', columns: 'suggestions' },
  { kind: 'riskRule', title: 'Risk and hygiene rules', target: 'Signal → action', columns: 'actions' },
  { kind: 'buyingPhaseRule', title: 'Buying phase rules', target: 'Decision phase', columns: 'none' },
];

const COLUMNS = {
  suggestions: [
    ['made', 'Suggested'],
    ['accepted', 'Accepted'],
    ['edited', 'Edited'],
    ['rejected', 'Rejected'],
    ['pending', 'Pending'],
    ['autoApplied', 'Auto-applied'],
    ['other', 'Stale or failed'],
  ],
  actions: [
    ['made', 'Actions'],
    ['accepted', 'Done'],
    ['rejected', 'Dismissed'],
    ['pending', 'Open'],
    ['other', 'Snoozed'],
  ],
  none: [],
};

const MESSAGES = {
  loading: 'Counting what each rule did',
  error: 'Could not count what the rules did',
  empty:
    "No rules found in custom metadata. Deploy the package's default rules, or add Field Policies, Stage Definitions, Competitors, Risk Rules and Buying Phase Rules in Setup, Custom Metadata Types.",
};

/**
 * For sales ops: every rule in custom metadata with its effect over the last 30 days (suggestions
 * made, accepted, edited and rejected per field policy, stage definition and competitor; actions done
 * and dismissed per risk rule), and a sentence where a rule has no measurable effect.
 */
export default class RuleEffects extends LoadingPanel(NavigationMixin(LightningElement), {
  field: 'report',
  messages: MESSAGES,
}) {
  report;

  @wire(getRuleEffects)
  wiredEffects(result) {
    this.takeWired(result);
  }

  get hasContent() {
    return Boolean(this.report?.rules?.length);
  }

  get sections() {
    return SECTIONS.map((section) => {
      const columns = COLUMNS[section.columns].map(([key, label]) => ({ key, label }));
      const rules = this.report.rules
        .filter((rule) => rule.kind === section.kind)
        .map((rule, index) => ({
          key: `${section.kind}-${rule.name ?? rule.target}-${index}`,
          label: rule.label,
          target: rule.target,
          inactive: !rule.active,
          counts: columns.map((column) => ({ key: column.key, value: rule[column.key] ?? 0 })),
          acceptance:
            rule.acceptanceRate === null || rule.acceptanceRate === undefined
              ? '—'
              : `${rule.acceptanceRate}%`,
          note: rule.note,
          rowClass: rule.made > 0 ? 'rule' : 'rule no-effect slds-text-color_weak',
        }));
      return {
        ...section,
        columns,
        rules,
        hasCounts: columns.length > 0,
        rateLabel: section.columns === 'actions' ? 'Done of closed' : 'Accepted of decided',
        titleId: `${section.kind}-title`,
      };
    }).filter((section) => section.rules.length > 0);
  }

  /** The window in words around its first day: "Over the last 30 days, since Nov 7, 2026, counting…". */
  get windowStart() {
    return `Over the last ${this.report.days} days, since `;
  }

  get windowEnd() {
    return ', counting the suggestions and actions you can see.';
  }

  get capNote() {
    return this.report.stageCountsCapped
      ? `Stage and competitor counts are from the latest ${this.report.stageCountsCap.toLocaleString()} such suggestions.`
      : '';
  }

  handleOpenRules() {
    this[NavigationMixin.Navigate]({ type: 'standard__webPage', attributes: { url: CUSTOM_METADATA_SETUP } });
  }
}
