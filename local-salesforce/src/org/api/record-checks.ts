import { withLocalNames, type ObjectDef } from '../schema/types.js';
import type { FieldValue, SObjectRecord } from '../store/record-store.js';
import { STANDARD_STAGES } from '@pipeline-scribe/force-app-model';
import { SalesforceError } from './errors.js';
import type { DmlContext } from './context.js';

/**
 * The checks a save passes in a real org, in its order (lookups exist, required fields are there,
 * unique values stay unique, validation rules hold), and the values the platform derives on save.
 */

export function checkReferences(
  ctx: DmlContext,
  object: ObjectDef,
  values: Record<string, FieldValue>,
): void {
  for (const [name, value] of Object.entries(values)) {
    const field = object.fields.get(name.toLowerCase())!;
    if (field.type !== 'reference' || typeof value !== 'string') continue;
    const target = ctx.schema.objectForId(value);
    if (!target || !field.referenceTo.includes(target.name) || !ctx.store.get(target.name, value)) {
      throw new SalesforceError(
        'INVALID_CROSS_REFERENCE_KEY',
        `${field.label}: id value of incorrect type: ${value}`,
        [field.name],
      );
    }
    // A record can be given only to an active user: a deactivated rep still owns their deals, yet a
    // task or record assigned to them is refused with this code and message.
    // https://help.salesforce.com/s/articleView?id=005237350&type=1 ("operation performed with inactive user")
    if (
      field.name === 'OwnerId' &&
      target.name === 'User' &&
      ctx.store.get('User', value)?.IsActive === false
    ) {
      throw new SalesforceError(
        'INACTIVE_OWNER_OR_USER',
        `operation performed with inactive user [${value}] as owner of ${object.label.toLowerCase()}`,
        [field.name],
      );
    }
  }
}

/** What the platform sets itself: full names and what an opportunity's stage implies. */
export function derive(
  object: ObjectDef,
  record: SObjectRecord,
  previous: SObjectRecord | null,
  now: string,
): void {
  if (object.name === 'Contact' || object.name === 'User') {
    record.Name = [record.FirstName, record.LastName].filter(Boolean).join(' ');
  }
  if (object.name === 'Opportunity') {
    const stage = STANDARD_STAGES.find((s) => s.name === record.StageName);
    if (stage) {
      const stageChanged = !previous || previous.StageName !== record.StageName;
      record.IsClosed = stage.closed;
      record.IsWon = stage.won;
      if (stageChanged) {
        if (!previous || previous.Probability === record.Probability) record.Probability = stage.probability;
        if (!previous || previous.ForecastCategoryName === record.ForecastCategoryName) {
          record.ForecastCategoryName = stage.forecast;
        }
        record.LastStageChangeDate = now;
      }
    }
    const amount = typeof record.Amount === 'number' ? record.Amount : null;
    const probability = typeof record.Probability === 'number' ? record.Probability : null;
    record.ExpectedRevenue = amount !== null && probability !== null ? (amount * probability) / 100 : null;
  }
}

const HISTORY_TRACKED = ['StageName', 'Amount', 'CloseDate', 'Probability', 'ForecastCategoryName'] as const;
/** OpportunityHistory keeps the forecast category's API name, not the label the opportunity shows. */
const HISTORY_CATEGORY: Record<string, string> = { 'Best Case': 'BestCase', Commit: 'Forecast' };

/**
 * The OpportunityHistory row Salesforce adds when an opportunity is created or one of its tracked
 * fields (stage, amount, close date, probability, forecast category) changes.
 */
export function recordOpportunityHistory(
  ctx: DmlContext,
  record: SObjectRecord,
  previous: SObjectRecord | null,
  now: string,
): void {
  if (previous && HISTORY_TRACKED.every((f) => previous[f] === record[f])) return;
  const category = record.ForecastCategoryName;
  ctx.store.put('OpportunityHistory', {
    Id: ctx.store.newId('OpportunityHistory'),
    IsDeleted: false,
    CreatedDate: now,
    CreatedById: ctx.userId || null,
    SystemModstamp: now,
    OpportunityId: record.Id,
    StageName: record.StageName ?? null,
    Amount: record.Amount ?? null,
    ExpectedRevenue: record.ExpectedRevenue ?? null,
    CloseDate: record.CloseDate ?? null,
    Probability: record.Probability ?? null,
    ForecastCategory: typeof category === 'string' ? (HISTORY_CATEGORY[category] ?? category) : null,
  });
}

export function applyDefaults(object: ObjectDef, record: SObjectRecord): void {
  for (const field of object.fields.values()) {
    if (record[field.name] !== undefined && record[field.name] !== null) continue;
    if (field.type === 'boolean') record[field.name] = field.defaultValue === true;
    const picklistDefault = field.picklistValues.find((p) => p.defaultValue)?.value;
    if (picklistDefault && field.type === 'picklist') record[field.name] = picklistDefault;
  }
}

export function checkRequired(object: ObjectDef, record: SObjectRecord): void {
  const missing = [...object.fields.values()]
    .filter((f) => !f.nillable && !f.defaultedOnCreate && f.createable)
    .filter((f) => record[f.name] === null || record[f.name] === undefined)
    .map((f) => f.name);
  if (missing.length > 0) {
    throw new SalesforceError(
      'REQUIRED_FIELD_MISSING',
      `Required fields are missing: [${missing.join(', ')}]`,
      missing,
    );
  }
}

export function checkUnique(ctx: DmlContext, object: ObjectDef, record: SObjectRecord): void {
  for (const field of object.fields.values()) {
    if (!field.unique || record[field.name] === null || record[field.name] === undefined) continue;
    const clash = ctx.store
      .findBy(object.name, field.name, String(record[field.name]))
      .find((r) => r.Id !== record.Id);
    if (clash) {
      throw new SalesforceError(
        'DUPLICATE_VALUE',
        `duplicate value found: ${field.name} duplicates value on record with id: ${clash.Id}`,
        [],
      );
    }
  }
}

export function checkValidationRules(
  ctx: DmlContext,
  object: ObjectDef,
  record: SObjectRecord,
  previous: SObjectRecord | null,
) {
  // Rules are written against the package's local names (as its Apex would read the record); the
  // error names the field as the org does.
  const ns = ctx.schema.namespace;
  for (const rule of ctx.validationRules) {
    if (ctx.schema.apiName(rule.object).toLowerCase() !== object.name.toLowerCase()) continue;
    if (rule.violated(withLocalNames(ns, record)!, withLocalNames(ns, previous))) {
      const field = rule.field ? ctx.schema.apiName(`${rule.object}.${rule.field}`).split('.')[1]! : null;
      throw new SalesforceError('FIELD_CUSTOM_VALIDATION_EXCEPTION', rule.message, field ? [field] : []);
    }
  }
}
