import type { FieldDef } from '../schema/types.js';
import { qualify } from '../schema/types.js';
import type { FieldValue, SObjectRecord } from '../store/record-store.js';
import { toId18 } from '../schema/ids.js';
import { parseSoql } from '../soql/parser.js';
import { runQuery } from '../soql/evaluate.js';
import { queryContext } from './query-resource.js';
import type { OrgContext } from './context.js';
import { SalesforceError } from './errors.js';
import { stageDefinitions, stageMoveKind } from './stage-move.js';

/**
 * The package's read-only @AuraEnabled methods, as the panels of the Opportunity and Home pages call
 * them: each runs its selector's SOQL `WITH USER_MODE` through this org's query engine as the calling
 * user (sharing and field-level security as the org enforces them), and shapes the rows as the Apex
 * view class does (SuggestionView, ProvenanceView, RiskView), or answers the records as the controller
 * returns them (Next_Best_Action__c, Conversation__c, Opportunity). Records and views speak the
 * package's local names, as the components are written.
 */

/** An exception the Apex lets out as an AuraHandledException; the caller answers it as APEX_ERROR. */
export class AuraError extends Error {
  constructor(message: string) {
    super(`System.AuraHandledException: ${message}`);
  }
}

const ACCESS_HINT = ' Ask your Salesforce admin for the Pipeline Scribe permission set of your role.';

/** ScribeErrors.toAura(action, cause): a query the user's access refuses says so, with the hint. */
export function failed(action: string, error: unknown): AuraError {
  if (!(error instanceof SalesforceError)) throw error;
  const access = /INVALID_FIELD|INVALID_TYPE|INSUFFICIENT_ACCESS/.test(error.errorCode);
  return new AuraError(`${action}: ${error.message.trim()}${access ? ACCESS_HINT : ''}`);
}

/** The package's names (`Suggestion__c`, `Opportunity__r`) in a query, as this org spells them. */
function namespaced(ns: string, soql: string): string {
  if (!ns) return soql;
  return soql.replace(/\b([A-Za-z][A-Za-z0-9_]*?__(?:c|r|mdt|e))\b/g, (name) =>
    name.split('__').length === 2 ? `${ns}__${name}` : name,
  );
}

/** A row of a query as the package's Apex reads it: local names, no REST attributes. */
function localRow(ns: string, value: unknown): unknown {
  if (Array.isArray(value)) return value.map((v) => localRow(ns, v));
  if (!value || typeof value !== 'object') return value;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([key]) => key !== 'attributes')
    .map(([key, v]) => [ns && key.startsWith(`${ns}__`) ? key.slice(ns.length + 2) : key, localRow(ns, v)]);
  return Object.fromEntries(entries);
}

export type Row = Record<string, unknown>;

/** `[SELECT ... WITH USER_MODE]`: the rows the calling user may read, with local names. */
export function selectAsUser(ctx: OrgContext, soql: string): Row[] {
  const ns = ctx.schema.namespace;
  const output = runQuery(queryContext(ctx, false), parseSoql(namespaced(ns, soql)));
  return output.records.map((record) => localRow(ns, record) as Row);
}

/** An Id parameter: Apex binds a JSON string to Id, or throws before the method runs. */
export function idParam(raw: unknown): string | null {
  return typeof raw === 'string' ? toId18(raw) : null;
}

/** `'…'` for a value that is already an Id or a date: nothing else ever goes into these queries. */
export const literal = (value: string) => `'${value.replace(/[\\']/g, '\\$&')}'`;

/** Custom metadata's getAll() (read whatever the user's access), rows with local names. */
export function metadata(ctx: OrgContext, type: string): Row[] {
  const object = ctx.schema.object(qualify(ctx.schema.namespace, type));
  return object ? ctx.store.all(object.name).map((row) => localRow(ctx.schema.namespace, row) as Row) : [];
}

const text = (value: unknown): string | null =>
  value === null || value === undefined || value === '' ? null : String(value);

/** Apex serializes a Datetime as ISO 8601 in UTC with milliseconds; the REST form ends +0000. */
export const datetime = (value: unknown): string | null =>
  typeof value === 'string' ? new Date(value.replace(/\+0000$/, 'Z')).toISOString() : null;

/** FieldValues.toText: the text a value is compared and shown as. */
function toText(field: FieldDef | undefined, value: unknown): string | null {
  if (value === null || value === undefined || value === '') return null;
  if (field?.type === 'datetime' && typeof value === 'string') {
    return new Date(value.replace(/\+0000$/, 'Z')).toISOString().replace(/\.\d{3}Z$/, 'Z');
  }
  return String(value);
}

/** FieldValues.sameValue: blank equals blank, numbers compare by value. */
function sameValue(field: FieldDef | undefined, current: unknown, recorded: unknown): boolean {
  const a = toText(field, current);
  const b = typeof recorded === 'string' ? recorded.trim() || null : null;
  if (a === null || b === null) return a === b;
  if (typeof current === 'number') return Number(b) === current;
  return a === b;
}

/** FieldValues.readableName: `Budget__c` reads Budget until the describe gives the label. */
function readableName(apiName: unknown): string | null {
  if (typeof apiName !== 'string' || apiName.trim() === '') return text(apiName);
  let name = apiName.replace(/__c$/, '');
  if (name.includes('__')) name = name.slice(name.indexOf('__') + 2);
  return name.replace(/_/g, ' ').replace(/\s+/g, ' ').trim();
}

/** FieldValues.displayTypeOf: Schema.DisplayType's name in lower case. */
const displayTypeOf = (field: FieldDef) => (field.type === 'int' ? 'integer' : field.type);

const INPUT_TYPES: Partial<Record<FieldDef['type'], string>> = {
  date: 'date',
  currency: 'number',
  double: 'number',
  percent: 'number',
  int: 'number',
  picklist: 'picklist',
  textarea: 'textarea',
};
const TEXT_TYPES = new Set(['string', 'textarea', 'picklist', 'multipicklist', 'email', 'phone', 'url']);
const KEEP_WHAT_IS_THERE = new Set(['Never', 'If empty']);

/**
 * TargetRecordSelector: the field a suggestion or provenance row names (tried in the package's
 * namespace too) as Apex describes it (label, type and picklist whatever the user's access; updateable
 * as the user's field-level security has it), and the record's value of it only when the user may read
 * the field and the record (`add` skips an inaccessible field, so its record is never loaded).
 */
function targets(ctx: OrgContext) {
  const ns = ctx.schema.namespace;
  const userSchema = ctx.access?.schema ?? ctx.schema;
  const objectOf = (schema: typeof ctx.schema, name: string) =>
    schema.object(name) ?? schema.object(qualify(ns, name));
  const fieldOf = (schema: typeof ctx.schema, objectName: string, fieldName: string) => {
    const object = objectOf(schema, objectName);
    return (
      object?.fields.get(fieldName.toLowerCase()) ?? object?.fields.get(qualify(ns, fieldName).toLowerCase())
    );
  };
  const describe = (objectName: unknown, fieldName: unknown): FieldDef | undefined => {
    if (typeof objectName !== 'string' || typeof fieldName !== 'string' || !fieldName) return undefined;
    const field = fieldOf(ctx.schema, objectName, fieldName);
    if (!field) return undefined;
    return { ...field, updateable: fieldOf(userSchema, objectName, fieldName)?.updateable ?? false };
  };
  const current = (objectName: unknown, recordId: unknown, field: FieldDef): SObjectRecord | null => {
    const id = typeof recordId === 'string' ? toId18(recordId) : null;
    if (!id || typeof objectName !== 'string' || !fieldOf(userSchema, objectName, field.name)) return null;
    const object = objectOf(ctx.schema, objectName)!;
    const record = ctx.store.get(object.name, id);
    if (!record) return null;
    return !ctx.access || ctx.access.canRead(object.name, record) ? record : null;
  };
  return { describe, current };
}

/** FieldChangeApplier.targetRecordOf: the record a suggestion changes (its deal unless it names another). */
const targetRecordOf = (s: Row) =>
  text(s.Target_Record_Id__c) ?? (s.Target_Object__c === 'Opportunity' ? text(s.Opportunity__c) : null);

export const lines = (value: unknown) =>
  typeof value === 'string'
    ? value
        .split('\n')
        .map((line) => line.trim())
        .filter(Boolean)
    : [];

/** SuggestionController.getSuggestions → SuggestionSelector.selectOpenForOpportunity → SuggestionView.build. */
export function getSuggestions(ctx: OrgContext, body: Row): Row[] {
  const opportunityId = idParam(body.opportunityId);
  if (!opportunityId) throw new AuraError('Open an opportunity to see its suggestions.');
  let rows: Row[];
  try {
    rows = selectAsUser(
      ctx,
      `SELECT Id, Type__c, Status__c, Status_Reason__c, Target_Object__c, Target_Record_Id__c, Target_Field__c,
         Value_At_Suggestion__c, Proposed_Value__c, Due_Date__c, Task_Priority__c, Contact_Title__c,
         Contact_Email__c, Contact_Phone__c, Contact_Mobile__c, Contact_Role__c, Confidence__c,
         Evidence_Quote__c, Reasons__c, Opportunity__c, Opportunity__r.Name, Conversation__c,
         Conversation__r.Name, Conversation__r.Occurred_At__c, CreatedDate
       FROM Suggestion__c
       WHERE Opportunity__c = ${literal(opportunityId)} AND Status__c IN ('Pending', 'Stale', 'Failed')
       WITH USER_MODE ORDER BY CreatedDate DESC LIMIT 200`,
    );
  } catch (error) {
    throw failed('Could not load the suggestions', error);
  }
  const target = targets(ctx);
  const policies = new Map(
    metadata(ctx, 'Field_Policy__mdt')
      .filter((p) => p.Is_Active__c === true)
      .map((p) => [`${String(p.Object_Name__c)}.${String(p.Field_Name__c)}`.toLowerCase(), p]),
  );
  const stageRows = metadata(ctx, 'Stage_Definition__mdt');
  const stages = stageDefinitions(stageRows as Record<string, FieldValue>[]);
  const moveOf = (s: Row, to: unknown) =>
    s.Type__c === 'Stage'
      ? stageMoveKind(stages, (s.Value_At_Suggestion__c as FieldValue) ?? null, to as FieldValue)
      : null;
  return rows.map((s) => {
    const opportunity = s.Opportunity__r as Row | null;
    const conversation = s.Conversation__r as Row | null;
    const view: Row = {
      id: s.Id,
      type: text(s.Type__c),
      status: text(s.Status__c),
      statusReason: text(s.Status_Reason__c),
      targetField: text(s.Target_Field__c),
      fieldLabel: readableName(s.Target_Field__c),
      inputType: 'text',
      displayType: null,
      currencyCode: null,
      options: [] as Row[],
      currentValue: null,
      valueAtSuggestion: text(s.Value_At_Suggestion__c),
      proposedValue: text(s.Proposed_Value__c),
      confidence: s.Confidence__c ?? null,
      evidenceQuote: text(s.Evidence_Quote__c),
      reasons: lines(s.Reasons__c),
      dueDate: text(s.Due_Date__c),
      taskPriority: text(s.Task_Priority__c),
      contactTitle: text(s.Contact_Title__c),
      contactRole: text(s.Contact_Role__c),
      contactEmail: text(s.Contact_Email__c),
      contactPhone: text(s.Contact_Phone__c),
      contactMobile: text(s.Contact_Mobile__c),
      conversationId: text(s.Conversation__c),
      conversationName: text(conversation?.Name),
      conversationDate: datetime(conversation?.Occurred_At__c),
      notice: null,
      closedStage: false,
      needsConfirmation: false,
      stageMove: null,
      opportunityName: text(opportunity?.Name),
    };
    const field = target.describe(s.Target_Object__c, s.Target_Field__c);
    if (field && (s.Type__c === 'Stage' || s.Type__c === 'Field')) {
      view.fieldLabel = field.label;
      view.inputType = INPUT_TYPES[field.type] ?? 'text';
      view.displayType = displayTypeOf(field);
      if (field.type === 'picklist') {
        view.options = field.picklistValues
          .filter((entry) => entry.active)
          .map((entry) => ({ label: entry.label, value: entry.value, stageMove: null }));
      }
      const record = target.current(s.Target_Object__c, targetRecordOf(s), field);
      if (record) {
        const value = record[field.name] ?? null;
        view.currentValue = toText(field, value);
        // CurrencyIsoCode exists only in a multi-currency org, which the local org is not.
        view.currencyCode = field.type === 'currency' ? text(record.CurrencyIsoCode) : null;
        const policy = policies.get(
          `${String(s.Target_Object__c)}.${String(s.Target_Field__c)}`.toLowerCase(),
        );
        if (s.Status__c === 'Pending' && !sameValue(field, value, s.Value_At_Suggestion__c)) {
          view.notice = `${field.label} changed since this was suggested; accepting marks the suggestion stale.`;
        } else if (
          policy &&
          KEEP_WHAT_IS_THERE.has(String(policy.Overwrite_Policy__c)) &&
          view.currentValue !== null &&
          view.currentValue !== view.proposedValue
        ) {
          const held = TEXT_TYPES.has(field.type) ? `"${view.currentValue}"` : 'a value';
          view.notice = `${field.label} already holds ${held}. Accept to replace it, or reject to keep it.`;
        }
      }
    }
    if (s.Type__c === 'Stage') {
      const definition = stageRows.find((row) => row.Stage_Name__c === s.Proposed_Value__c);
      if (definition) view.closedStage = definition.Is_Closed__c === true;
      view.stageMove = moveOf(s, s.Proposed_Value__c);
      view.needsConfirmation = view.stageMove !== null;
      for (const option of view.options as Row[]) option.stageMove = moveOf(s, option.value);
    }
    return view;
  });
}

/** FieldProvenanceController.getProvenance → FieldProvenanceSelector.selectForRecord → ProvenanceView.build. */
export function getProvenance(ctx: OrgContext, body: Row): Row[] {
  const recordId = idParam(body.recordId);
  if (!recordId) throw new AuraError('Open a record to see where its values came from.');
  let rows: Row[];
  try {
    rows = selectAsUser(
      ctx,
      `SELECT Id, Object_Name__c, Record_Id__c, Field_Name__c, Previous_Value__c, New_Value__c,
         Evidence_Quote__c, Confidence__c, Extractor__c, Applied_By__r.Name, Applied_By_Policy__c,
         Applied_At__c, Reverted_At__c, Reverted_By__r.Name, Conversation__c, Conversation__r.Name,
         Conversation__r.Occurred_At__c
       FROM Field_Provenance__c
       WHERE Record_Id__c = ${literal(recordId)}
       WITH USER_MODE ORDER BY Applied_At__c DESC NULLS LAST LIMIT 50`,
    );
  } catch (error) {
    throw failed('Could not load where the values came from', error);
  }
  const target = targets(ctx);
  return rows.map((row) => {
    const appliedBy = row.Applied_By__r as Row | null;
    const revertedBy = row.Reverted_By__r as Row | null;
    const policy = text(row.Applied_By_Policy__c);
    const view: Row = {
      id: row.Id,
      fieldName: text(row.Field_Name__c),
      fieldLabel: readableName(row.Field_Name__c),
      displayType: null,
      currencyCode: null,
      newValue: text(row.New_Value__c),
      previousValue: text(row.Previous_Value__c),
      appliedBy: text(appliedBy?.Name) ?? (policy ? `Policy ${policy.replace('_', ' ')}` : 'Pipeline Scribe'),
      appliedAt: datetime(row.Applied_At__c),
      evidenceQuote: text(row.Evidence_Quote__c),
      confidence: row.Confidence__c ?? null,
      conversationId: text(row.Conversation__c),
      conversationName: text((row.Conversation__r as Row | null)?.Name),
      revertedAt: datetime(row.Reverted_At__c),
      revertedBy: text(revertedBy?.Name),
      isCurrent: false,
      canRevert: false,
    };
    const field = target.describe(row.Object_Name__c, row.Field_Name__c);
    const record = field ? target.current(row.Object_Name__c, row.Record_Id__c, field) : null;
    if (field && record) {
      view.fieldLabel = field.label;
      view.displayType = displayTypeOf(field);
      view.currencyCode = field.type === 'currency' ? text(record.CurrencyIsoCode) : null;
      view.isCurrent =
        view.revertedAt === null && sameValue(field, record[field.name] ?? null, row.New_Value__c);
      view.canRevert = view.isCurrent === true && field.updateable;
    }
    return view;
  });
}

const RISK_FIELDS = `Id, Name, Account.Name, Owner.Name, StageName, Amount, CloseDate, NextStep, Risk_Score__c,
  Previous_Risk_Score__c, Risk_Trend__c, Risk_Factors__c, Risk_Scored_At__c, Hygiene_Flags__c,
  Hygiene_Details__c, Customer_Decision_Phase__c, Last_Conversation_Date__c, Model_Close_Probability__c,
  Slip_Probability__c, Forecast_Drivers__c, Suggested_Forecast_Category__c`;

/** ScribeConfigSelector.getRiskBands: the Default settings' bands, which must lie within 0-100. */
function riskBands(ctx: OrgContext): (score: unknown) => string | null {
  const settings = metadata(ctx, 'Scribe_Setting__mdt').find((row) => row.DeveloperName === 'Default');
  const high = settings?.High_Risk_Score__c;
  const medium = settings?.Medium_Risk_Score__c;
  if (typeof high !== 'number' || typeof medium !== 'number' || medium <= 0 || medium >= high || high > 100) {
    throw new SalesforceError(
      'APEX_ERROR',
      `Scribe_Setting__mdt.Default.Medium_Risk_Score__c (${String(medium)}) and High_Risk_Score__c (${String(high)}) must satisfy 0 < Medium < High <= 100: set them in Setup > Custom Metadata Types > Scribe Setting.`,
    );
  }
  return (score) =>
    typeof score !== 'number' ? null : score >= high ? 'High' : score >= medium ? 'Medium' : 'Low';
}

/** ScribeConfigSelector.requireNumber(Slip_Warning_Probability__c), as a percent like Slip_Probability__c. */
export function slipWarningPercent(ctx: OrgContext): number {
  const settings = metadata(ctx, 'Scribe_Setting__mdt').find((row) => row.DeveloperName === 'Default');
  const share = settings?.Slip_Warning_Probability__c;
  if (typeof share !== 'number') {
    throw new SalesforceError(
      'APEX_ERROR',
      'Scribe_Setting__mdt.Default.Slip_Warning_Probability__c is empty: set it in Setup > Custom Metadata Types > Scribe Setting > Default (the package ships it).',
    );
  }
  return share * 100;
}

/**
 * Risk_Trend__c is a formula field (Risk_Score__c - Previous_Risk_Score__c, blanks as blank), and the
 * local org stores no formula values: the view works it out from the two scores the query read, as
 * the platform would have served it.
 */
function riskTrend(o: Row): number | null {
  const [now, before] = [o.Risk_Score__c, o.Previous_Risk_Score__c];
  return typeof now === 'number' && typeof before === 'number' ? now - before : null;
}

/** RiskView.build over the rows an OpportunitySelector query selected. */
function riskViews(ctx: OrgContext, action: string, soql: string): Row[] {
  let rows: Row[];
  let levelOf: ReturnType<typeof riskBands>;
  let slipWarningAt: number;
  try {
    rows = selectAsUser(ctx, soql);
    levelOf = riskBands(ctx);
    slipWarningAt = slipWarningPercent(ctx);
  } catch (error) {
    throw failed(action, error);
  }
  const rules = new Map(
    metadata(ctx, 'Risk_Rule__mdt')
      .filter((rule) => rule.Is_Enabled__c === true)
      .map((rule) => [String(rule.Signal__c), rule]),
  );
  return rows.map((o) => {
    const flags = (typeof o.Hygiene_Flags__c === 'string' ? o.Hygiene_Flags__c.split(';') : [])
      .filter((signal) => rules.has(signal))
      .map((signal) => {
        const rule = rules.get(signal)!;
        return {
          signal,
          label: text(rule.MasterLabel),
          recommendedAction: text(rule.Recommended_Action__c),
          description: text(rule.Description__c),
        };
      });
    return {
      opportunityId: o.Id,
      name: text(o.Name),
      accountName: text((o.Account as Row | null)?.Name),
      ownerName: text((o.Owner as Row | null)?.Name),
      stageName: text(o.StageName),
      amount: o.Amount ?? null,
      closeDate: text(o.CloseDate),
      score: o.Risk_Score__c ?? null,
      riskLevel: levelOf(o.Risk_Score__c),
      previousScore: o.Previous_Risk_Score__c ?? null,
      trend: o.Risk_Trend__c ?? riskTrend(o),
      scoredAt: datetime(o.Risk_Scored_At__c),
      factors: lines(o.Risk_Factors__c),
      flags,
      hygieneDetails: lines(o.Hygiene_Details__c),
      modelCloseProbability: o.Model_Close_Probability__c ?? null,
      slipProbability: o.Slip_Probability__c ?? null,
      slipWarning: typeof o.Slip_Probability__c === 'number' && o.Slip_Probability__c >= slipWarningAt,
      forecastDrivers: lines(o.Forecast_Drivers__c),
      suggestedForecastCategory: text(o.Suggested_Forecast_Category__c),
      decisionPhase: text(o.Customer_Decision_Phase__c),
      lastConversationDate: text(o.Last_Conversation_Date__c),
      closeOutCandidate: flags.some((flag) => flag.signal === 'Zombie'),
    };
  });
}

/** OpportunityRiskController.getOpportunityRisk. */
export function getOpportunityRisk(ctx: OrgContext, body: Row): Row {
  const opportunityId = idParam(body.opportunityId);
  if (!opportunityId) throw new AuraError('Open an opportunity to see its risk.');
  const [view] = riskViews(
    ctx,
    'Could not load the deal risk',
    `SELECT ${RISK_FIELDS} FROM Opportunity WHERE Id = ${literal(opportunityId)} WITH USER_MODE`,
  );
  if (!view) throw new AuraError('This opportunity no longer exists or you cannot see it.');
  return view;
}

/** OpportunityRiskController.getTeamRisk: open deals of the people who report to the user, riskiest first. */
export function getTeamRisk(ctx: OrgContext): Row[] {
  return riskViews(
    ctx,
    'Could not load your team’s deals',
    `SELECT ${RISK_FIELDS} FROM Opportunity
     WHERE Owner.ManagerId = ${literal(ctx.userId)} AND IsClosed = FALSE
     WITH USER_MODE ORDER BY Risk_Score__c DESC NULLS LAST, Amount DESC NULLS LAST LIMIT 100`,
  );
}

/** OpportunityRiskController.getHygieneList: the user's open deals that break a hygiene rule. */
export function getHygieneList(ctx: OrgContext): Row[] {
  return riskViews(
    ctx,
    'Could not load your pipeline hygiene list',
    `SELECT ${RISK_FIELDS} FROM Opportunity
     WHERE OwnerId = ${literal(ctx.userId)} AND IsClosed = FALSE AND Hygiene_Flags__c != NULL
     WITH USER_MODE ORDER BY Risk_Score__c DESC NULLS LAST, CloseDate ASC LIMIT 100`,
  );
}

const today = (ctx: OrgContext) => new Date(ctx.now()).toISOString().slice(0, 10);

/** NextBestActionController.getActionQueue → NextBestActionSelector.selectQueueFor (the records as Apex returns them). */
export function getActionQueue(ctx: OrgContext): Row[] {
  try {
    return selectAsUser(
      ctx,
      `SELECT Id, Action__c, Action_Type__c, Why__c, Rank__c, Due_Date__c, Status__c, Snoozed_Until__c,
         Opportunity__c, Opportunity__r.Name, Opportunity__r.Account.Name, Opportunity__r.CloseDate,
         Opportunity__r.Amount
       FROM Next_Best_Action__c
       WHERE OwnerId = ${literal(ctx.userId)}
         AND (Status__c = 'Open' OR (Status__c = 'Snoozed' AND Snoozed_Until__c <= ${today(ctx)}))
       WITH USER_MODE ORDER BY Rank__c ASC NULLS LAST, Due_Date__c ASC NULLS LAST LIMIT 50`,
    ).map(withoutNullParents);
  } catch (error) {
    throw failed('Could not load your next best actions', error);
  }
}

/** Apex leaves a parent it did not read out of the serialized record; REST answers it as null. */
function withoutNullParents(row: Row): Row {
  return Object.fromEntries(
    Object.entries(row).filter(([key, value]) => !(key.endsWith('__r') && value === null)),
  );
}

/** ConversationController.getRecentConversations → ConversationSelector.selectRecentForOpportunity. */
export function getRecentConversations(ctx: OrgContext, body: Row): Row[] {
  const opportunityId = idParam(body.opportunityId);
  if (!opportunityId) throw new AuraError('Open an opportunity to see the notes of its conversations.');
  const asked = typeof body.maxRecords === 'number' ? Math.trunc(body.maxRecords) : null;
  const size = asked === null || asked < 1 ? 3 : Math.min(asked, 20);
  try {
    return selectAsUser(
      ctx,
      `SELECT Id, Name, Source__c, Occurred_At__c, Summary__c, Decisions__c, Objections__c, Next_Steps__c,
         Stakeholders__c, Budget_Signals__c, Timeline_Signals__c, Competitors_Mentioned__c,
         Processing_Status__c, Processing_Error__c, CreatedBy.Name
       FROM Conversation__c
       WHERE Opportunity__c = ${literal(opportunityId)}
       WITH USER_MODE ORDER BY Occurred_At__c DESC NULLS LAST, CreatedDate DESC LIMIT ${size}`,
    ).map((row) => ({ ...row, Occurred_At__c: datetime(row.Occurred_At__c) ?? undefined }));
  } catch (error) {
    throw failed('Could not load the conversation notes', error);
  }
}

/** ConversationController.getMyOpenOpportunities → OpportunitySelector.selectOpenOwnedBy. */
export function getMyOpenOpportunities(ctx: OrgContext): Row[] {
  try {
    return selectAsUser(
      ctx,
      `SELECT Id, Name, Account.Name, CloseDate, StageName FROM Opportunity
       WHERE OwnerId = ${literal(ctx.userId)} AND IsClosed = FALSE
       WITH USER_MODE ORDER BY CloseDate ASC LIMIT 200`,
    );
  } catch (error) {
    throw failed('Could not load your open opportunities', error);
  }
}
