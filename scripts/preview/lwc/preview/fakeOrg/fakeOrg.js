/**
 * The Apex methods the components call, answered from a scenario's records the way the package's
 * controllers answer them in an org: reads return what the selectors would select, writes change the
 * records and return the outcomes a rep is shown. Errors have the shape an AuraHandledException has.
 */
const auraError = (message) => ({ status: 400, body: { message }, headers: {} });

const required = (value, message) => {
  if (value === undefined || value === null || value === '') throw auraError(message);
};

const OPEN_SUGGESTION = new Set(['Pending', 'Stale', 'Failed']);
const ACTION_STATUSES = new Set(['Done', 'Snoozed', 'Dismissed']);

const quoted = (value) => (value ? `"${value}"` : 'empty');

const NEEDS_CONFIRMATION = 'Closing a deal or moving it back needs your confirmation: accept it on its own.';

/**
 * As StageMove decides in SuggestionService: a stage move that closes the deal or moves it back (or to
 * a stage the rules do not define) is applied only when the rep confirmed that one decision.
 */
function needsConfirmation(suggestion, { action, editedValue }) {
  if (suggestion.type !== 'Stage' || action === 'reject') return false;
  if (action === 'edit') {
    const chosen = (suggestion.options ?? []).find((option) => option.value === editedValue);
    return !chosen || Boolean(chosen.stageMove);
  }
  return Boolean(suggestion.needsConfirmation);
}

/**
 * As FieldChangeApplier does: every stage or field value a rep applies gets a provenance record, which
 * the provenance panel lists with its Revert (the rep's undo). Tasks and contacts are new records.
 */
function recordProvenance(state, suggestion, appliedValue) {
  if (suggestion.type !== 'Stage' && suggestion.type !== 'Field') return;
  state.provenance.unshift({
    id: `a035g00000PRV${String(state.provenance.length + 1).padStart(3, '0')}AAA`,
    fieldName: suggestion.targetField,
    fieldLabel: suggestion.fieldLabel,
    displayType: suggestion.displayType,
    currencyCode: suggestion.currencyCode,
    newValue: appliedValue,
    previousValue: suggestion.currentValue ?? null,
    appliedBy: state.userName,
    appliedAt: state.now,
    evidenceQuote: suggestion.evidenceQuote,
    confidence: suggestion.confidence,
    conversationId: suggestion.conversationId,
    conversationName: suggestion.conversationName,
    isCurrent: true,
    canRevert: true,
  });
}

function decideOne(state, decision) {
  const { suggestionId, action, editedValue, editedDueDate } = decision;
  const suggestion = state.suggestions.find((candidate) => candidate.id === suggestionId);
  if (!suggestion || !OPEN_SUGGESTION.has(suggestion.status)) {
    return { recordId: suggestionId, status: 'Failed', message: 'This suggestion was already decided.' };
  }
  if (decision.confirmed !== true && needsConfirmation(suggestion, decision)) {
    return { recordId: suggestionId, status: suggestion.status, message: NEEDS_CONFIRMATION };
  }
  if (action === 'reject') {
    suggestion.status = 'Rejected';
    return { recordId: suggestionId, status: 'Rejected' };
  }
  if (action === 'edit') {
    suggestion.status = 'Edited';
    recordProvenance(state, suggestion, editedValue);
    const due = editedDueDate ? ` (due ${editedDueDate})` : '';
    return { recordId: suggestionId, status: 'Edited', appliedValue: `${editedValue ?? ''}${due}` };
  }
  // The scenario scripts what the org answers for a first accept (a value changed since, a rule that
  // fails); accepting a stale or failed suggestion again replaces the value anyway.
  const scripted = suggestion.status === 'Pending' ? state.acceptOutcomes[suggestionId] : undefined;
  if (scripted && (scripted.status === 'Stale' || scripted.status === 'Failed')) {
    suggestion.status = scripted.status;
    suggestion.statusReason = scripted.message;
    return { ...scripted };
  }
  suggestion.status = 'Accepted';
  recordProvenance(state, suggestion, suggestion.proposedValue);
  return { recordId: suggestionId, status: 'Accepted', appliedValue: suggestion.proposedValue };
}

export const APEX_METHODS = {
  'SuggestionController.getSuggestions': (state, { opportunityId }) => {
    required(opportunityId, 'Open an opportunity to see its suggestions.');
    return state.suggestions.filter((suggestion) => OPEN_SUGGESTION.has(suggestion.status));
  },

  'SuggestionController.decideSuggestions': (state, { decisions }) => {
    required(decisions?.length, 'Choose at least one suggestion to decide.');
    return decisions.map((decision) => decideOne(state, decision));
  },

  'FieldProvenanceController.getProvenance': (state, { recordId }) => {
    required(recordId, 'Open a record to see where its values came from.');
    return state.provenance;
  },

  'FieldProvenanceController.revertValue': (state, { provenanceId }) => {
    required(provenanceId, 'Choose the value to revert.');
    const value = state.provenance.find((candidate) => candidate.id === provenanceId);
    if (!value) {
      return { recordId: provenanceId, status: 'Failed', message: 'This value no longer exists.' };
    }
    if (!value.canRevert) {
      return {
        recordId: provenanceId,
        status: 'Failed',
        message: `${value.fieldLabel} changed since Pipeline Scribe set it; nothing to revert.`,
      };
    }
    Object.assign(value, {
      canRevert: false,
      isCurrent: false,
      revertedAt: state.now,
      revertedBy: state.userName,
    });
    return {
      recordId: provenanceId,
      status: 'Reverted',
      message: `Back to ${quoted(value.previousValue)}.`,
      appliedValue: value.previousValue,
    };
  },

  'ConversationController.getRecentConversations': (state, { opportunityId, maxRecords }) => {
    required(opportunityId, 'Open an opportunity to see the notes of its conversations.');
    return state.conversations.slice(0, maxRecords ?? 3);
  },

  'ConversationController.getMyOpenOpportunities': (state) => state.openOpportunities,

  'ConversationController.captureConversation': (state, { conversation }) => {
    required(conversation, 'Nothing to save: paste the notes or attach a recording first.');
    required(conversation.Opportunity__c, 'Choose the opportunity this conversation is about.');
    required(
      conversation.Content__c || conversation.Recording_Document_Id__c,
      'Nothing to save: paste the notes or attach a recording first.',
    );
    const id = `a015g00000CAPT${String(state.conversations.length + 1).padStart(2, '0')}AAA`;
    state.conversations.unshift({
      Id: id,
      Name: conversation.Name ?? `${conversation.Source__c} ${state.now.slice(0, 16).replace('T', ' ')}`,
      Source__c: conversation.Source__c,
      Occurred_At__c: state.now,
      Processing_Status__c: 'Queued',
      CreatedBy: { Name: state.userName },
    });
    return id;
  },

  'OpportunityRiskController.getOpportunityRisk': (state, { opportunityId }) => {
    required(opportunityId, 'Open an opportunity to see its risk.');
    return state.risk;
  },

  'OpportunityRiskController.getTeamRisk': (state) => state.teamRisk,

  'OpportunityRiskController.getHygieneList': (state) => state.hygieneList,

  // The reviews the user may open, the team's first, as WeeklyReviewController lists them.
  'WeeklyReviewController.getReviewChoices': (state) => state.reviewChoices,

  // One review by id; one the org does not share with the user is refused in a sentence.
  'WeeklyReviewController.getReview': (state, { reviewId }) => {
    required(reviewId, 'Choose your team or a rep to see their weekly review.');
    const review = state.reviews[reviewId];
    if (!review) {
      throw auraError(
        'This weekly review no longer exists or is not shared with you: a rep’s review is shared with the rep and the managers above them in the role hierarchy.',
      );
    }
    return review;
  },

  // The latest run's stages, as StageCalibrationController reads them; an org before its first scan has none.
  'StageCalibrationController.getLatestCalibration': (state) => state.calibration,
  // The latest forecast snapshot, as ForecastOverviewController reads it; none before the first full scan.
  'ForecastOverviewController.getForecastOverview': (state) => state.forecast,

  // The installation's checks as InstallationChecks reports them (the service's /readyz included).
  'ScribeSetupController.getInstallationChecks': (state) => state.setup,

  // The recordings the service holds for consent, as HeldRecordingsController relays them; release and
  // drop take one off the list (the service processes or erases it).
  'HeldRecordingsController.getHeldRecordings': (state) => state.heldRecordings,
  'HeldRecordingsController.releaseRecording': (state, { conversationId }) => {
    required(conversationId, 'Choose the recording to release.');
    state.heldRecordings = state.heldRecordings.filter((held) => held.id !== conversationId);
  },
  'HeldRecordingsController.dropRecording': (state, { conversationId }) => {
    required(conversationId, 'Choose the recording to drop.');
    state.heldRecordings = state.heldRecordings.filter((held) => held.id !== conversationId);
  },

  // This org's connection to a multi-org service, as OrgConnectionController relays it; Connect answers
  // with the Salesforce page the admin approves at (the preview records the navigation, goes nowhere).
  'OrgConnectionController.getConnection': (state) => state.orgConnection,
  'OrgConnectionController.startConnection': () =>
    'https://fabrikam.my.salesforce.com/services/oauth2/authorize?response_type=code&client_id=PipelineScribeService&state=preview',

  // Every rule with its last 30 days, as RuleEffectsReport counts them.
  'RuleEffectsController.getRuleEffects': (state) => state.ruleEffects,

  // Open actions, and snoozed ones whose day has come, as NextBestActionSelector selects them.
  'NextBestActionController.getActionQueue': (state) =>
    state.actions.filter(
      (action) =>
        action.Status__c === 'Open' ||
        (action.Status__c === 'Snoozed' && action.Snoozed_Until__c <= state.today),
    ),

  'NextBestActionController.updateActionStatus': (state, { actionId, status, snoozeUntil }) => {
    required(actionId, 'Choose the action to update.');
    if (!ACTION_STATUSES.has(status)) {
      throw auraError(
        `"${status}" is not something you can do with an action; use Done, Snoozed or Dismissed.`,
      );
    }
    const action = state.actions.find((candidate) => candidate.Id === actionId);
    required(action, 'This action no longer exists.');
    action.Status__c = status;
    action.Snoozed_Until__c = status === 'Snoozed' ? (snoozeUntil ?? state.defaultSnoozeUntil) : null;
    return { Id: action.Id, Status__c: action.Status__c, Snoozed_Until__c: action.Snoozed_Until__c };
  },
};
