import fixtures from 'virtual:jest-fixtures';

/**
 * The scenarios the gallery shows, built from the JSON fixtures the components' jest tests use (one
 * realistic org: Fabrikam, Tailspin, Wingtip, Contoso) plus what only a whole page needs: a failed
 * suggestion, a risky deal, a full day's queue, an empty org, a failing org and one that never answers.
 */
const fixture = (name) => structuredClone(fixtures[name]);

const TODAY = '2026-03-03';
const NOW = '2026-03-03T09:30:00.000Z';
const USER = 'Dana Rep';

/** Default Snooze Days is 3 in Scribe_Setting.Default, so a snooze from today lasts until this day. */
const SNOOZE_UNTIL = '2026-03-06';

const acceptOutcomes = () =>
  Object.fromEntries(
    fixture('suggestionsPanel/decideOutcomes').map((outcome) => [outcome.recordId, outcome]),
  );

const FAILED_SUGGESTION = {
  id: 'a025g00000SUG007AAA',
  type: 'Field',
  status: 'Failed',
  statusReason:
    'Amount was not saved: a validation rule requires a Close Date in the future. Fix the Close Date, then try again.',
  targetField: 'Amount',
  fieldLabel: 'Amount',
  inputType: 'number',
  displayType: 'currency',
  currencyCode: 'USD',
  options: [],
  currentValue: '50000',
  valueAtSuggestion: '50000',
  proposedValue: '64000',
  confidence: 0.75,
  evidenceQuote: 'We have about sixty-four thousand set aside for this',
  reasons: [],
  conversationId: 'a015g00000CONV01AAA',
  conversationName: 'Discovery call with Fabrikam',
  closedStage: false,
  needsConfirmation: false,
  stageMove: null,
  opportunityName: 'Fabrikam - Pipeline Scribe rollout',
};

/**
 * The weekly reviews of Morgan Manager's team (the jest fixtures: the team's and Dana's) and Sam's,
 * cut from the team's the way the scan writes a rep's: only Sam's deals, no rep lines.
 */
function weeklyReviews() {
  const team = fixture('weeklyReview/getReview');
  const dana = fixture('weeklyReview/getRepReview');
  const sams = (items) => items.filter((item) => item.owner === 'Sam Seller');
  const deals = sams(team.content.deals);
  const total = deals.reduce((sum, deal) => sum + deal.amount, 0);
  const weighted = deals.reduce((sum, deal) => sum + deal.amount * deal.winChance, 0);
  const nothing = { deals: 0, total: 0, weighted: 0 };
  const statusSummary =
    'Sam Seller: 2 open deals worth $132,000; 0 at risk, 1 to watch, 0 on track, 1 to close out. Since last week risk rose on 0 deals and fell on 1 deal.';
  const sam = {
    ...team,
    reviewId: 'a0B5g00000REVSAMSAA',
    name: 'Sam Seller, week of 2026-03-02',
    scope: 'Rep',
    ownerName: 'Sam Seller',
    statusSummary,
    confidence: 'Low',
    openDeals: deals.length,
    atRiskDeals: 0,
    closeOutDeals: 1,
    totalPipeline: total,
    weightedPipeline: weighted,
    expectedThisMonth: 0,
    expectedThisQuarter: 0,
    content: {
      ...team.content,
      scope: 'Rep',
      subject: { userId: '0055g00000SAMSELAAA', name: 'Sam Seller' },
      managerId: team.content.subject.userId,
      statusSummary,
      confidence: {
        level: 'Low',
        reasons: ['No open deal is expected to close this quarter (close dates 2026-01-01 to 2026-03-31).'],
      },
      keyRisks: team.content.keyRisks.filter((risk) => /Tailspin|Contoso/.test(risk.text)),
      helpNeeded: sams(team.content.helpNeeded),
      nextSteps: sams(team.content.nextSteps),
      pipeline: {
        ...team.content.pipeline,
        openDeals: deals.length,
        total,
        weighted,
        thisMonth: { ...team.content.pipeline.thisMonth, ...nothing },
        thisQuarter: { ...team.content.pipeline.thisQuarter, ...nothing },
      },
      focus: sams(team.content.focus),
      closeOut: sams(team.content.closeOut),
      reps: [],
      deals,
    },
  };
  return Object.fromEntries([team, dana, sam].map((review) => [review.reviewId, review]));
}

function fabrikam() {
  const risk = fixture('riskPanel/getOpportunityRisk');
  return {
    today: TODAY,
    now: NOW,
    userName: USER,
    defaultSnoozeUntil: SNOOZE_UNTIL,
    opportunity: {
      id: risk.opportunityId,
      name: risk.name,
      accountName: risk.accountName,
      ownerName: risk.ownerName,
      stageName: 'Qualification',
      amount: risk.amount,
      closeDate: risk.closeDate,
    },
    suggestions: [...fixture('suggestionsPanel/getSuggestions'), FAILED_SUGGESTION],
    acceptOutcomes: acceptOutcomes(),
    conversations: fixture('conversationNotes/getRecentConversations'),
    risk,
    provenance: fixture('fieldProvenance/getProvenance'),
    actions: fixture('nextBestActionQueue/getActionQueue'),
    hygieneList: fixture('hygieneList/getHygieneList'),
    teamRisk: fixture('teamRiskPanel/getTeamRisk'),
    openOpportunities: fixture('quickCapture/getMyOpenOpportunities'),
    calibration: fixture('stageCalibration/getLatestCalibration'),
    setup: fixture('scribeSetup/getInstallationChecks'),
    heldRecordings: fixture('heldRecordings/getHeldRecordings'),
    orgConnection: fixture('orgConnection/getConnection'),
    ruleEffects: fixture('ruleEffects/getRuleEffects'),
    reviewChoices: fixture('weeklyReview/getReviewChoices'),
    reviews: weeklyReviews(),
    forecast: fixture('forecastOverview/getForecastOverview'),
  };
}

const NEW_INSTALL_CHECKS = {
  apiUsage: {
    key: 'apiUsage',
    title: 'API usage today',
    status: 'passed',
    summary: '310 of 15,000 API requests in the last 24 hours (2.1%).',
    fix: null,
    details: [],
  },
  integrationUser: {
    key: 'integrationUser',
    title: 'Integration user',
    status: 'failed',
    summary: 'No user holds the Pipeline_Scribe_Integration permission set.',
    fix: 'Create the integration user (docs/admin-guide.md; in a scratch org: npm run scratch:setup -- --integration-user) and assign it the Pipeline_Scribe_Integration permission set.',
    details: [],
  },
  customMetadata: {
    key: 'customMetadata',
    title: 'Rules in custom metadata',
    status: 'passed',
    summary:
      'The Default settings, a Stage Definition for every active stage and the active Field Policies are in place.',
    fix: null,
    details: [],
  },
  lastScan: {
    key: 'lastScan',
    title: 'Last pipeline scan',
    status: 'failed',
    summary: 'The service has recorded no pipeline scan yet.',
    fix: 'Connect the service (the check above), then wait for its first scan. The service scans on a schedule once connected (SCRIBE_SCAN_INTERVAL_MINUTES, hourly by default); or run one now with npx scribe scan.',
    details: [],
  },
};

/**
 * A package just installed: nobody holds the integration permission set, the service is not connected,
 * no scan has run; the rules are the shipped defaults and have done nothing yet.
 */
function newInstall(base) {
  const checks = base.setup.checks.map((check) => NEW_INSTALL_CHECKS[check.key] ?? check);
  const ruleEffects = {
    ...base.ruleEffects,
    rules: base.ruleEffects.rules.map((rule) => ({
      ...rule,
      made: 0,
      accepted: 0,
      edited: 0,
      rejected: 0,
      pending: 0,
      autoApplied: 0,
      other: 0,
      acceptanceRate: null,
      note:
        rule.measure === 'none'
          ? rule.note
          : `No ${rule.measure} in the last 30 days: no measurable effect yet.`,
    })),
  };
  return {
    setup: { ...base.setup, checks, lastScan: null, apiUsage: { used: 310, max: 15000, percent: 2.1 } },
    orgConnection: { state: 'never_connected' },
    ruleEffects,
  };
}

/** Contoso's pilot: gone quiet for months, past every threshold, and a close-out proposed. */
function riskyDeal() {
  const base = fabrikam();
  const contoso = fixture('teamRiskPanel/getTeamRisk').find((deal) => deal.name === 'Contoso pilot');
  const hygieneFlags = fixture('hygieneList/getHygieneList').flatMap((deal) => deal.flags);
  const staleFlag = fixture('riskPanel/getOpportunityRisk').flags.find((flag) => flag.signal === 'Stale');
  const conversationId = 'a015g00000CONT01AAA';
  return {
    ...base,
    opportunity: {
      id: contoso.opportunityId,
      name: contoso.name,
      accountName: contoso.accountName,
      ownerName: contoso.ownerName,
      stageName: contoso.stageName,
      amount: contoso.amount,
      closeDate: contoso.closeDate,
    },
    risk: {
      ...contoso,
      score: 88,
      riskLevel: 'High',
      previousScore: 74,
      trend: 14,
      scoredAt: '2026-03-03T06:00:00.000Z',
      factors: [
        ...contoso.factors,
        'Champion silent for 41 days',
        'No next step written down',
        'Close date moved out twice',
      ],
      flags: [...contoso.flags, staleFlag, hygieneFlags.find((flag) => flag.signal === 'No_Next_Step')],
      hygieneDetails: [
        'Zombie: no engagement and no progress for 74 days',
        'Stale: last activity 2026-01-20',
      ],
      modelCloseProbability: 6,
      suggestedForecastCategory: 'Omitted',
      decisionPhase: 'Problem Identification',
      lastConversationDate: '2026-01-20',
    },
    suggestions: [
      {
        id: 'a025g00000CONTS1AAA',
        type: 'Stage',
        status: 'Pending',
        targetField: 'StageName',
        fieldLabel: 'Stage',
        inputType: 'picklist',
        displayType: 'picklist',
        currencyCode: null,
        options: [
          { label: 'Prospecting', value: 'Prospecting', stageMove: null },
          { label: 'Qualification', value: 'Qualification', stageMove: null },
          { label: 'Closed Lost', value: 'Closed Lost', stageMove: 'close' },
        ],
        currentValue: 'Prospecting',
        valueAtSuggestion: 'Prospecting',
        proposedValue: 'Closed Lost',
        confidence: 0.85,
        evidenceQuote: 'We are putting the pilot on hold until next fiscal year at the earliest.',
        reasons: ['Customer paused the project', 'No engagement for 74 days'],
        conversationId,
        conversationName: 'Email from Contoso procurement',
        conversationDate: '2026-01-20T14:00:00.000Z',
        closedStage: true,
        needsConfirmation: true,
        stageMove: 'close',
        opportunityName: contoso.name,
      },
    ],
    acceptOutcomes: {},
    conversations: [
      {
        Id: conversationId,
        Name: 'Email from Contoso procurement',
        Source__c: 'Email',
        Occurred_At__c: '2026-01-20T14:00:00.000Z',
        Summary__c: 'Contoso paused the pilot until next fiscal year; budget moved to a security project.',
        Decisions__c: 'Pilot on hold until next fiscal year',
        Budget_Signals__c: '"The budget went to the security programme"',
        Processing_Status__c: 'Processed',
        CreatedBy: { Name: 'Integration User' },
      },
    ],
    provenance: [],
  };
}

/** Twenty ranked actions, the most a busy rep starts a Monday with. */
function fullQueue() {
  const base = fabrikam();
  const [fabrikamAction, tailspinAction, wingtipAction] = base.actions;
  const deals = [fabrikamAction, tailspinAction, wingtipAction].map((action) => ({
    Opportunity__c: action.Opportunity__c,
    Opportunity__r: action.Opportunity__r,
  }));
  const more = [
    [
      'Send the security questionnaire to Priya',
      'Follow Up',
      'Promised on the discovery call for Friday',
      0,
      '2026-03-06',
    ],
    [
      'Book the demo with Dmitri',
      'Follow Up',
      'He signs off on anything over fifty thousand',
      0,
      '2026-03-10',
    ],
    [
      'Confirm the renewal date with Tailspin procurement',
      'Follow Up',
      'Renewal in 6 weeks, no date agreed',
      1,
    ],
    ['Ask Tailspin for a new champion', 'Add Contact', 'The champion left in February', 1],
    ['Move the Wingtip close date', 'Update Close Date', 'It passed yesterday', 2, '2026-03-03'],
    ['Write down the next step on Wingtip', 'Add Next Step', 'No next step for 3 weeks', 2],
    ['Send Fabrikam the pilot proposal', 'Follow Up', 'Asked for it on the last call', 0, '2026-03-12'],
    ['Check Gong pricing with Fabrikam', 'Escalate', 'Gong came up as an alternative', 0],
    ['Loop in Tailspin IT security', 'Add Contact', 'Security review not started', 1],
    ['Re-engage the Wingtip sponsor', 'Re-engage', 'No reply in 14 days', 2],
    ['Review the Fabrikam suggestions', 'Review Suggestions', 'Six suggestions from the discovery call', 0],
    ['Prepare the Tailspin QBR deck', 'Follow Up', 'QBR in 2 weeks', 1, '2026-03-17'],
    ['Share the Wingtip ROI summary', 'Follow Up', 'CFO asked for numbers', 2],
    ['Ask Fabrikam about the EMEA pilot team', 'Follow Up', 'Pilot scope still open', 0],
    ['Confirm Tailspin seat count', 'Follow Up', '150 or 180 seats: two numbers on record', 1],
    ['Close out the Wingtip add-on', 'Close Out', 'No activity for 90 days', 2],
    ['Thank Priya for the intro', 'Follow Up', 'She set up the meeting with Dmitri', 0],
  ].map(([action, type, why, deal, due], index) => ({
    Id: `a045g00000NBA${String(index + 4).padStart(3, '0')}AAA`,
    Action__c: action,
    Action_Type__c: type,
    Why__c: why,
    Rank__c: index + 4,
    ...(due ? { Due_Date__c: due } : {}),
    Status__c: 'Open',
    ...structuredClone(deals[deal]),
  }));
  return { ...base, actions: [...base.actions, ...more] };
}

/**
 * Sales ops in a young org: two quarters of history, so most stages have too few closed deals to judge,
 * and the model, finding no signal beyond the base rate, scores no better than always guessing it.
 */
function thinHistory() {
  const base = fabrikam();
  const calibration = base.calibration;
  // Per stage: closed deals that reached it, of them won, the 95% interval; four stages have too few.
  const history = {
    Prospecting: [86, 34, 29.9, 50.1],
    Qualification: [52, 22, 29.9, 55.8],
    'Needs Analysis': [9, 4, 18.9, 73.3],
    'Value Proposition': [7, 3, 15.8, 75],
    'Id. Decision Makers': [5, 2, 11.8, 76.9],
    'Perception Analysis': [4, 2, 15, 85],
    'Proposal/Price Quote': [31, 17, 37.8, 70.8],
    'Negotiation/Review': [30, 20, 48.8, 80.8],
  };
  function fromHistory(stage) {
    const [sampleSize, wonCount, intervalLow, intervalHigh] = history[stage.stageName];
    const realizedWinRate = Math.round((wonCount / sampleSize) * 1000) / 10;
    const hasEnoughData = sampleSize >= 30;
    return {
      ...stage,
      sampleSize,
      wonCount,
      realizedWinRate,
      intervalLow,
      intervalHigh,
      hasEnoughData,
      suggestedProbability: hasEnoughData ? Math.round(realizedWinRate) : null,
      note: hasEnoughData
        ? null
        : `Only ${sampleSize} closed deals reached this stage; a probability is suggested from 30.`,
    };
  }
  const forecast = base.forecast;
  return {
    ...base,
    // Four days of snapshots and no quota set yet: the movement is since the first one.
    forecast: {
      ...forecast,
      quotaAmount: null,
      quotaNote:
        'No quota is set: enter the quarter’s quota in Quarterly Quota of the Default Scribe Setting (Setup > Custom Metadata Types > Scribe Setting > Manage Records).',
      movementFrom: '2026-02-27T06:00:00.000Z',
      movementNote: 'Less than a week of snapshots yet: the movement is since the first one.',
    },
    calibration: {
      ...calibration,
      runId: 'scan-2026-03-03T06:00Z',
      asOfDate: '2026-03-02',
      computedAt: '2026-03-03T06:00:00.000Z',
      modelBrierScore: 0.2381,
      baseRateBrierScore: 0.2379,
      modelCalibrationError: 0.0214,
      baseWinRate: 39.5,
      evaluatedDealCount: 86,
      stages: calibration.stages.map(fromHistory),
    },
  };
}

function emptyOrg() {
  const base = fabrikam();
  return {
    ...base,
    suggestions: [],
    acceptOutcomes: {},
    conversations: [],
    risk: {
      ...base.risk,
      score: null,
      riskLevel: null,
      previousScore: null,
      trend: null,
      factors: [],
      flags: [],
      hygieneDetails: [],
      modelCloseProbability: null,
      suggestedForecastCategory: null,
      decisionPhase: null,
      lastConversationDate: null,
    },
    provenance: [],
    actions: [],
    hygieneList: [],
    teamRisk: [],
    openOpportunities: [],
    calibration: { runId: null, stages: [] },
    ...newInstall(base),
    reviewChoices: [],
    reviews: {},
    forecast: { hasSnapshot: false, buckets: [], moves: [] },
  };
}

/** What each controller says when the rep's permission set is missing, in the jest fixture's shape. */
const OBJECT_OF_CONTROLLER = {
  SuggestionController: 'Suggestion__c',
  FieldProvenanceController: 'Field_Provenance__c',
  ConversationController: 'Conversation__c',
  OpportunityRiskController: 'Opportunity',
  NextBestActionController: 'Next_Best_Action__c',
  StageCalibrationController: 'Stage_Calibration__c',
  ScribeSetupController: 'Scan_Run__c',
  RuleEffectsController: 'Suggestion__c',
  WeeklyReviewController: 'Pipeline_Review__c',
  ForecastOverviewController: 'Forecast_Snapshot__c',
};
const OBJECT_OF_METHOD = { 'ConversationController.getMyOpenOpportunities': 'Opportunity' };

function missingPermissionSet(method) {
  const error = fixture('errorPanel/apexError');
  if (method === 'SuggestionController.getSuggestions') return error;
  // The held recordings and the org's connection come from the service, not an object: without the
  // permission set the class itself is refused, as Salesforce words it.
  const serviceController = ['HeldRecordingsController', 'OrgConnectionController'].find((name) =>
    method.startsWith(`${name}.`),
  );
  if (serviceController) {
    error.body.message = `You do not have access to the Apex class named '${serviceController}'. Ask your Salesforce admin for the Pipeline Scribe Admin permission set.`;
    return error;
  }
  const object = OBJECT_OF_METHOD[method] ?? OBJECT_OF_CONTROLLER[method.split('.')[0]];
  error.body.message = `sObject type '${object}' is not supported. Ask your Salesforce admin for the Pipeline Scribe permission set of your role.`;
  return error;
}

export const SCENARIOS = [
  {
    name: 'review',
    label: 'Fabrikam: suggestions to review',
    description:
      'After the discovery call: a stage move, field changes, a task and a contact to decide, one stale and one failed suggestion, notes still being read, values to revert.',
    state: fabrikam(),
  },
  {
    name: 'risky-deal',
    label: 'Contoso: a risky deal',
    description: 'A deal gone quiet for months: high risk, hygiene flags and a close-out proposed.',
    state: riskyDeal(),
  },
  {
    name: 'full-queue',
    label: 'A full day: 20 actions',
    description: 'A busy rep’s Monday: twenty ranked actions across three deals.',
    state: fullQueue(),
  },
  {
    name: 'thin-history',
    label: 'A young org: little history',
    description:
      'Two quarters of closed deals: most stages have too few to judge, and the model is no better than the base rate.',
    state: thinHistory(),
  },
  {
    name: 'empty',
    label: 'Nothing yet',
    description:
      'A new rep in a new org: no conversations, no suggestions, no actions, nothing scored, no calibration report, no weekly review, no forecast.',
    state: emptyOrg(),
  },
  {
    name: 'error',
    label: 'Permission set missing',
    description:
      'Every Apex call fails the way it does for a user without the Pipeline Scribe permission set.',
    state: fabrikam(),
    failure: missingPermissionSet,
  },
  {
    name: 'loading',
    label: 'Still loading',
    description: 'The org has not answered yet: every component shows its spinner.',
    state: fabrikam(),
    loading: true,
  },
];

export const DEFAULT_SCENARIO = SCENARIOS[0].name;
