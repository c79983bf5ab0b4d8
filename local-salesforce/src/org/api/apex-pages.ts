import type { OrgContext } from './context.js';
import {
  AuraError,
  datetime,
  failed,
  idParam,
  lines,
  literal,
  metadata,
  selectAsUser,
  slipWarningPercent,
  type Row,
} from './apex-reads.js';

/**
 * The read-only @AuraEnabled methods of the manager's Team Review page and the CRO's Forecast page,
 * over the records the companion service's full scan writes (Pipeline_Review__c, Forecast_Snapshot__c).
 * Like apex-reads.ts, each runs its selector's SOQL `WITH USER_MODE` as the calling user (the classes
 * are `with sharing`), so the org's sharing and the user's permission sets decide what is read, and
 * shapes the result as the Apex view class serializes it (WeeklyReviewView, ForecastOverview).
 */

// ---------------------------------------------------------------------------------------------------
// WeeklyReviewController (force-app/main/pipeline-health/classes)
// ---------------------------------------------------------------------------------------------------

/** WeeklyReviewController.MAX_REPS. */
const MAX_REPS = 500;
/** WeeklyReviewView.CONTENT_VERSION: the review content this package reads. */
const CONTENT_VERSION = 1;

/** WeeklyReviewView.choice. */
const choice = (review: Row, label: unknown): Row => ({
  reviewId: review.Id,
  label: label ?? null,
  scope: review.Scope__c ?? null,
  weekStart: review.Week_Start__c ?? null,
});

/** WeeklyReviewSelector.selectLatestOwned. */
function latestOwned(ctx: OrgContext, scope: 'Team' | 'Rep'): Row | null {
  const [latest] = selectAsUser(
    ctx,
    `SELECT Id, Name, Scope__c, Week_Start__c FROM Pipeline_Review__c
     WHERE OwnerId = ${literal(ctx.userId)} AND Scope__c = ${literal(scope)}
     WITH USER_MODE ORDER BY Week_Start__c DESC NULLS LAST, Computed_At__c DESC NULLS LAST LIMIT 1`,
  );
  return latest ?? null;
}

/**
 * WeeklyReviewController.getReviewChoices: the manager's team review, then each rep's of the latest
 * week the manager is named on (by Name, as selectTeamOfWeek orders them), then the user's own.
 */
export function getReviewChoices(ctx: OrgContext): Row[] {
  try {
    const choices: Row[] = [];
    const team = latestOwned(ctx, 'Team');
    if (team) choices.push(choice(team, 'My team'));
    const [week] = selectAsUser(
      ctx,
      `SELECT Week_Start__c FROM Pipeline_Review__c
       WHERE Manager__c = ${literal(ctx.userId)} AND Week_Start__c != NULL
       WITH USER_MODE ORDER BY Week_Start__c DESC LIMIT 1`,
    );
    if (typeof week?.Week_Start__c === 'string') {
      const reps = selectAsUser(
        ctx,
        `SELECT Id, Name, Scope__c, Week_Start__c, Owner.Name FROM Pipeline_Review__c
         WHERE Manager__c = ${literal(ctx.userId)} AND Week_Start__c = ${week.Week_Start__c}
         WITH USER_MODE ORDER BY Name ASC, Id ASC LIMIT ${MAX_REPS}`,
      );
      for (const rep of reps) choices.push(choice(rep, (rep.Owner as Row | null)?.Name));
    }
    const own = latestOwned(ctx, 'Rep');
    if (own) choices.push(choice(own, 'My deals'));
    return choices;
  } catch (error) {
    throw failed('Could not load your weekly reviews', error);
  }
}

/** WeeklyReviewController.getReview → WeeklyReviewSelector.selectById → WeeklyReviewView.build. */
export function getReview(ctx: OrgContext, body: Row): Row {
  const reviewId = idParam(body.reviewId);
  if (!reviewId) throw new AuraError('Choose your team or a rep to see their weekly review.');
  let review: Row | undefined;
  try {
    [review] = selectAsUser(
      ctx,
      `SELECT Id, Name, Scope__c, Owner.Name, Week_Start__c, As_Of_Date__c, Computed_At__c,
         Status_Summary__c, Confidence__c, Open_Deals__c, At_Risk_Deals__c, Close_Out_Deals__c,
         Total_Pipeline__c, Weighted_Pipeline__c, Expected_This_Month__c, Expected_This_Quarter__c,
         Content__c
       FROM Pipeline_Review__c WHERE Id = ${literal(reviewId)} WITH USER_MODE LIMIT 1`,
    );
  } catch (error) {
    throw failed('Could not load the weekly review', error);
  }
  if (!review) {
    throw new AuraError(
      'This weekly review no longer exists or is not shared with you: a rep’s review is shared with the rep and the managers above them in the role hierarchy.',
    );
  }
  return {
    reviewId: review.Id,
    name: review.Name ?? null,
    scope: review.Scope__c ?? null,
    ownerName: (review.Owner as Row | null)?.Name ?? null,
    weekStart: review.Week_Start__c ?? null,
    asOfDate: review.As_Of_Date__c ?? null,
    computedAt: datetime(review.Computed_At__c),
    statusSummary: review.Status_Summary__c ?? null,
    confidence: review.Confidence__c ?? null,
    openDeals: review.Open_Deals__c ?? null,
    atRiskDeals: review.At_Risk_Deals__c ?? null,
    closeOutDeals: review.Close_Out_Deals__c ?? null,
    totalPipeline: review.Total_Pipeline__c ?? null,
    weightedPipeline: review.Weighted_Pipeline__c ?? null,
    expectedThisMonth: review.Expected_This_Month__c ?? null,
    expectedThisQuarter: review.Expected_This_Quarter__c ?? null,
    content: reviewContent(review.Content__c),
  };
}

/** WeeklyReviewView.contentOf: a content of another version, or not JSON, is refused with a sentence. */
function reviewContent(json: unknown): Row {
  let parsed: unknown = null;
  try {
    parsed = typeof json === 'string' && json.trim() !== '' ? JSON.parse(json) : null;
  } catch {
    parsed = null;
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new AuraError(
      'This weekly review cannot be read: its content is missing or damaged. The next pipeline scan writes it again.',
    );
  }
  const version = (parsed as Row).version;
  // deserializeUntyped reads 1 as an Integer, 1.5 as a Decimal: only the whole number passes.
  if (!Number.isInteger(version) || version !== CONTENT_VERSION) {
    throw new AuraError(
      `This weekly review was written in a format (version ${version === undefined ? 'null' : String(version)}) this Pipeline Scribe package does not read (version ${CONTENT_VERSION}): ask your Salesforce admin to upgrade the package.`,
    );
  }
  return parsed as Row;
}

// ---------------------------------------------------------------------------------------------------
// ForecastOverviewController (force-app/main/forecasting/classes)
// ---------------------------------------------------------------------------------------------------

/** ForecastOverview.HIDDEN_DEAL. */
export const HIDDEN_DEAL = 'A deal you do not have access to';
const KINDS = ['in', 'out', 'slipped', 'up', 'down'];
const BUCKET_FIELDS = ['deals', 'pipelineChange', 'weightedChange'];
const MOVE_FIELDS = [
  'opportunityId',
  'name',
  'kind',
  'reason',
  'amountBefore',
  'amountAfter',
  'weightedChange',
  'pipelineChange',
  'closeDateBefore',
  'closeDateAfter',
  'stageBefore',
  'stageAfter',
];

/** The snapshot fields → the view's properties, in ForecastOverview.build's order. */
const SNAPSHOT_FIELDS: [string, string][] = [
  ['asOfDate', 'As_Of_Date__c'],
  ['computedAt', 'Computed_At__c'],
  ['periodStart', 'Period_Start__c'],
  ['periodEnd', 'Period_End__c'],
  ['currencyCode', 'Currency_Code__c'],
  ['p10', 'P10_Amount__c'],
  ['p50', 'P50_Amount__c'],
  ['p90', 'P90_Amount__c'],
  ['expected', 'Expected_Amount__c'],
  ['commitAmount', 'Commit_Amount__c'],
  ['bestCaseAmount', 'Best_Case_Amount__c'],
  ['pipelineAmount', 'Pipeline_Amount__c'],
  ['repCommitAmount', 'Rep_Commit_Amount__c'],
  ['repBestCaseAmount', 'Rep_Best_Case_Amount__c'],
  ['repPipelineAmount', 'Rep_Pipeline_Amount__c'],
  ['quotaAmount', 'Quota_Amount__c'],
  ['quotaNote', 'Quota_Note__c'],
  ['dealCount', 'Deal_Count__c'],
  ['dealsWithoutAmount', 'Deals_Without_Amount__c'],
  ['weightedPipeline', 'Weighted_Pipeline__c'],
  ['previousWeightedPipeline', 'Previous_Weighted_Pipeline__c'],
  ['movementFrom', 'Movement_From__c'],
  ['movementNote', 'Movement_Note__c'],
  ['modelNote', 'Model_Note__c'],
  ['modelVersion', 'Model_Version__c'],
];
const DATETIMES = new Set(['computedAt', 'movementFrom']);

/** Typed JSON.deserialize: the class's properties are read, any other key is left out. */
const pick = (value: unknown, fields: string[]): Row | null =>
  value && typeof value === 'object' && !Array.isArray(value)
    ? Object.fromEntries(fields.map((field) => [field, (value as Row)[field] ?? null]))
    : null;

/** ForecastOverview.asId: Id.valueOf, or null for a value that is not an Id. */
const asId = (value: unknown): string | null => (typeof value === 'string' ? idParam(value.trim()) : null);

/**
 * ForecastOverviewController.getForecastOverview → ForecastSnapshotSelector.selectLatest →
 * ForecastOverview.build: the latest snapshot the user may read (the forecast permission sets grant
 * the object), its movement's buckets in the page's order, and each moved deal named only where the
 * user can see the opportunity.
 */
export function getForecastOverview(ctx: OrgContext): Row {
  try {
    const [snapshot] = selectAsUser(
      ctx,
      `SELECT Id, ${SNAPSHOT_FIELDS.map(([, field]) => field).join(', ')}, Movement_Json__c
       FROM Forecast_Snapshot__c WITH USER_MODE
       ORDER BY Computed_At__c DESC NULLS LAST, CreatedDate DESC LIMIT 1`,
    );
    const overview: Row = {
      hasSnapshot: false,
      buckets: [],
      moves: [],
      slipWarningPercent: null,
      likelyToSlip: [],
    };
    if (!snapshot) return overview;
    overview.hasSnapshot = true;
    for (const [property, field] of SNAPSHOT_FIELDS) {
      overview[property] = DATETIMES.has(property) ? datetime(snapshot[field]) : (snapshot[field] ?? null);
    }
    readMovement(ctx, overview, snapshot.Movement_Json__c);
    readLikelyToSlip(ctx, overview);
    return overview;
  } catch (error) {
    if (error instanceof AuraError) throw error;
    throw failed('Could not load the forecast', error);
  }
}

/** ForecastOverview.SLIPPING_SHOWN. */
const SLIPPING_SHOWN = 20;

/** ForecastOverview.readLikelyToSlip → ForecastSnapshotSelector.selectLikelyToSlip. */
function readLikelyToSlip(ctx: OrgContext, overview: Row): void {
  const atPercent = slipWarningPercent(ctx);
  overview.slipWarningPercent = atPercent;
  overview.likelyToSlip = selectAsUser(
    ctx,
    `SELECT Id, Name, StageName, Amount, CloseDate, Slip_Probability__c, Model_Close_Probability__c,
       Forecast_Drivers__c
     FROM Opportunity WHERE IsClosed = FALSE AND Slip_Probability__c >= ${atPercent} WITH USER_MODE
     ORDER BY Amount DESC NULLS LAST, Slip_Probability__c DESC LIMIT ${SLIPPING_SHOWN}`,
  ).map((o) => ({
    opportunityId: o.Id,
    name: o.Name ?? null,
    stageName: o.StageName ?? null,
    amount: o.Amount ?? null,
    closeDate: o.CloseDate ?? null,
    slipProbability: o.Slip_Probability__c ?? null,
    winProbability: o.Model_Close_Probability__c ?? null,
    drivers: lines(o.Forecast_Drivers__c),
  }));
}

const isObject = (value: unknown): value is Row =>
  value !== null && typeof value === 'object' && !Array.isArray(value);

/**
 * What System.JSON.deserialize(json, Movement.class) reads without a JSONException: an object whose
 * buckets (when given) map to objects or nulls, and whose moves (when given) list objects or nulls.
 */
function isMovement(value: unknown): value is Row {
  if (!isObject(value)) return false;
  const { buckets, moves } = value;
  if (
    buckets != null &&
    !(isObject(buckets) && Object.values(buckets).every((b) => b === null || isObject(b)))
  )
    return false;
  return moves == null || (Array.isArray(moves) && moves.every((m) => m === null || isObject(m)));
}

/** ForecastOverview.readMovement. */
function readMovement(ctx: OrgContext, overview: Row, json: unknown): void {
  if (typeof json !== 'string' || json.trim() === '') return;
  let movement: Row;
  try {
    const parsed: unknown = JSON.parse(json);
    if (!isMovement(parsed)) throw new SyntaxError('not the Movement class');
    movement = parsed;
  } catch {
    overview.movementNote =
      'The movement of this snapshot could not be read; the next full scan writes it again.';
    return;
  }
  const buckets = (movement.buckets ?? {}) as Row;
  for (const kind of KINDS) {
    const bucket = pick(buckets[kind], BUCKET_FIELDS);
    if (bucket) (overview.buckets as Row[]).push({ kind, ...bucket });
  }
  if (!Array.isArray(movement.moves)) return;
  // A null in the list is a null Move, which the Apex de-references: the controller's catch answers it.
  if (movement.moves.some((move) => move === null)) {
    throw new AuraError('Could not load the forecast: Attempt to de-reference a null object');
  }
  const moves = movement.moves.map((move) => pick(move, MOVE_FIELDS)!);
  const ids = [...new Set(moves.map((move) => asId(move.opportunityId)).filter((id) => id !== null))];
  const visible = new Set(
    ids.length === 0
      ? []
      : selectAsUser(
          ctx,
          `SELECT Id FROM Opportunity WHERE Id IN (${ids.map(literal).join(', ')}) WITH USER_MODE`,
        ).map((row) => row.Id),
  );
  for (const move of moves) {
    const id = asId(move.opportunityId);
    if (!id || !visible.has(id)) {
      Object.assign(move, { name: HIDDEN_DEAL, opportunityId: null, stageBefore: null, stageAfter: null });
    }
    (overview.moves as Row[]).push(move);
  }
}

// ---------------------------------------------------------------------------------------------------
// RuleEffectsController (force-app/main/configuration/classes: RuleEffectsReport, RuleEffectsSelector)
// ---------------------------------------------------------------------------------------------------

/** RuleEffectsController.WINDOW_DAYS and STAGE_COUNTS_CAP. */
const WINDOW_DAYS = 30;
const STAGE_COUNTS_CAP = 10000;
const DAY_MS = 86_400_000;

type Measure = 'suggestions' | 'actions' | 'none';

interface Rule {
  kind: string;
  name: string | null;
  label: string | null;
  target: string | null;
  active: boolean;
  measure: Measure;
  made: number;
  accepted: number;
  edited: number;
  rejected: number;
  pending: number;
  autoApplied: number;
  other: number;
  acceptanceRate: number | null;
  note: string | null;
}

const rule = (
  kind: string,
  name: unknown,
  label: unknown,
  target: string | null,
  active: unknown,
  measure: Measure,
): Rule => ({
  kind,
  name: (name as string | null) ?? null,
  label: (label as string | null) ?? null,
  target,
  active: active === true,
  measure,
  made: 0,
  accepted: 0,
  edited: 0,
  rejected: 0,
  pending: 0,
  autoApplied: 0,
  other: 0,
  acceptanceRate: null,
  note: null,
});

/** Rule.add: an Apex `switch on` a String compares with case, as here. */
function add(target: Rule, status: unknown, count: number): void {
  target.made += count;
  switch (status) {
    case 'Accepted':
    case 'Done':
      target.accepted += count;
      break;
    case 'Edited':
      target.edited += count;
      break;
    case 'Rejected':
    case 'Dismissed':
      target.rejected += count;
      break;
    case 'Pending':
    case 'Open':
      target.pending += count;
      break;
    case 'Auto-applied':
      target.autoApplied += count;
      break;
    default:
      target.other += count;
  }
}

/**
 * Decimal.setScale(0) rounds half to even
 * (https://developer.salesforce.com/docs/atlas.en-us.apexref.meta/apexref/apex_methods_system_decimal.htm).
 */
function halfEven(value: number): number {
  const floor = Math.floor(value);
  const diff = value - floor;
  if (Math.abs(diff - 0.5) > 1e-9) return Math.round(value);
  return floor % 2 === 0 ? floor : floor + 1;
}

/** Rule.finish. */
function finish(target: Rule, days: number): void {
  const decided = target.accepted + target.edited + target.rejected;
  if (decided > 0) target.acceptanceRate = halfEven(((target.accepted + target.edited) * 100) / decided);
  if (target.note !== null || target.measure === 'none') return;
  const counted = target.measure === 'actions' ? 'actions' : 'suggestions';
  if (!target.active) {
    target.note =
      target.made === 0
        ? `Inactive: it made no ${counted}.`
        : `Inactive now: these ${counted} came before it was turned off.`;
  } else if (target.made === 0) {
    target.note = `No ${counted} in the last ${days} days: no measurable effect yet.`;
  }
}

/** String.valueOf(x): null reads "null". */
const valueOf = (value: unknown) => (value === null || value === undefined ? 'null' : String(value));
/** Apex's List<String>.sort and List<Decimal>.sort: by UTF-16 code unit, by number. */
const byText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
/** Sort_Order__c, 9999 when blank, then the metadata's order within one number (getAll().values()). */
const bySortOrder = (rows: Row[]) =>
  rows
    .map((row, index) => ({
      row,
      index,
      order: typeof row.Sort_Order__c === 'number' ? row.Sort_Order__c : 9999,
    }))
    .sort((a, b) => a.order - b.order || a.index - b.index)
    .map(({ row }) => row);

/**
 * Counts of the rows the aggregate query groups, per key. This org's SOQL has no GROUP BY, so the rows
 * the query reads without it (the same filter, WITH USER_MODE) are counted here: COUNT(Id) of a group
 * is the number of rows the user can see in it, which is what this yields.
 */
function countBy(rows: Row[], key: (row: Row) => string): Map<string, { row: Row; made: number }> {
  const groups = new Map<string, { row: Row; made: number }>();
  for (const row of rows) {
    const k = key(row);
    const group = groups.get(k) ?? { row, made: 0 };
    group.made += 1;
    groups.set(k, group);
  }
  return groups;
}

/** RuleEffectsReport.listItems. */
const listItems = (value: unknown): Set<string> =>
  new Set(
    typeof value === 'string'
      ? value
          .split(';')
          .map((item) => item.trim().toLowerCase())
          .filter(Boolean)
      : [],
  );

/** Apex compares Strings with == and != without case. */
const sameText = (a: unknown, b: string) => typeof a === 'string' && a.toLowerCase() === b.toLowerCase();

/**
 * RuleEffectsController.getRuleEffects → RuleEffectsReport.build: every rule in custom metadata (field
 * policies, stage definitions, competitors, risk rules, buying-phase rules) beside what it did over
 * the last 30 days, counted over the suggestions and next-best actions the user can see.
 */
export function getRuleEffects(ctx: OrgContext): Row {
  try {
    const since = new Date(ctx.now() - WINDOW_DAYS * DAY_MS).toISOString();
    const rules: Rule[] = [];
    const suggestionRows = selectAsUser(
      ctx,
      `SELECT Target_Object__c, Target_Field__c, Status__c FROM Suggestion__c
       WHERE CreatedDate >= ${since} AND Type__c IN ('Field', 'Stage') WITH USER_MODE`,
    );
    addFieldPolicies(ctx, rules, suggestionRows);
    const named = selectAsUser(
      ctx,
      `SELECT Type__c, Target_Field__c, Proposed_Value__c, Value_At_Suggestion__c, Status__c
       FROM Suggestion__c
       WHERE CreatedDate >= ${since} AND (Type__c = 'Stage' OR Target_Field__c = 'Competitors__c')
       WITH USER_MODE ORDER BY CreatedDate DESC LIMIT ${STAGE_COUNTS_CAP}`,
    );
    addStageDefinitions(ctx, rules, named);
    addCompetitors(ctx, rules, named);
    const actionRows = selectAsUser(
      ctx,
      `SELECT Action_Type__c, Status__c FROM Next_Best_Action__c
       WHERE CreatedDate >= ${since} WITH USER_MODE`,
    );
    addRiskRules(ctx, rules, actionRows);
    addBuyingPhaseRules(ctx, rules);
    for (const each of rules) finish(each, WINDOW_DAYS);
    return {
      days: WINDOW_DAYS,
      since,
      stageCountsCap: STAGE_COUNTS_CAP,
      stageCountsCapped: named.length >= STAGE_COUNTS_CAP,
      rules,
    };
  } catch (error) {
    throw failed('Could not count what the rules did', error);
  }
}

/** ScribeConfigSelector.fieldKey: API names are case-insensitive. */
const fieldKey = (objectName: unknown, fieldName: unknown) =>
  `${valueOf(objectName)}.${valueOf(fieldName)}`.toLowerCase();

function addFieldPolicies(ctx: OrgContext, rules: Rule[], rows: Row[]): void {
  const byField = new Map<string, Rule>();
  // sortedPolicies: keyed by object.field.DeveloperName, in key order.
  const policies = [
    ...new Map(
      metadata(ctx, 'Field_Policy__mdt').map((p) => [
        `${valueOf(p.Object_Name__c)}.${valueOf(p.Field_Name__c)}.${valueOf(p.DeveloperName)}`,
        p,
      ]),
    ),
  ].sort(([a], [b]) => byText(a, b));
  for (const [, policy] of policies) {
    const target = `${valueOf(policy.Object_Name__c)}.${valueOf(policy.Field_Name__c)}`;
    const each = rule(
      'fieldPolicy',
      policy.DeveloperName,
      policy.MasterLabel,
      target,
      policy.Is_Active__c,
      'suggestions',
    );
    byField.set(fieldKey(policy.Object_Name__c, policy.Field_Name__c), each);
    rules.push(each);
  }
  // GROUP BY compares text without case, as the map's lower-cased key does.
  const groups = countBy(rows, (row) =>
    [row.Target_Object__c, row.Target_Field__c, row.Status__c]
      .map((v) => valueOf(v).toLowerCase())
      .join('\u0000'),
  );
  for (const { row, made } of groups.values()) {
    const key = fieldKey(row.Target_Object__c, row.Target_Field__c);
    let each = byField.get(key);
    if (!each) {
      each = rule(
        'fieldPolicy',
        null,
        'No policy',
        `${valueOf(row.Target_Object__c)}.${valueOf(row.Target_Field__c)}`,
        false,
        'suggestions',
      );
      each.note = 'Suggested for a field no Field Policy names now (a policy removed or renamed since).';
      byField.set(key, each);
      rules.push(each);
    }
    add(each, row.Status__c, made);
  }
}

function addStageDefinitions(ctx: OrgContext, rules: Rule[], named: Row[]): void {
  const byStage = new Map<unknown, Rule>();
  for (const stage of bySortOrder(metadata(ctx, 'Stage_Definition__mdt'))) {
    const each = rule(
      'stageDefinition',
      stage.DeveloperName,
      stage.MasterLabel,
      (stage.Stage_Name__c as string | null) ?? null,
      true,
      'suggestions',
    );
    byStage.set(stage.Stage_Name__c, each);
    rules.push(each);
  }
  for (const suggestion of named) {
    if (!sameText(suggestion.Type__c, 'Stage') || typeof suggestion.Proposed_Value__c !== 'string') continue;
    const each = byStage.get(suggestion.Proposed_Value__c.trim());
    if (each) add(each, suggestion.Status__c, 1);
  }
}

function addCompetitors(ctx: OrgContext, rules: Rule[], named: Row[]): void {
  const byName = new Map<string, Rule>();
  const sorted = [
    ...new Map(
      metadata(ctx, 'Competitor__mdt').map((c) => [
        valueOf(c.Competitor_Name__c).toLowerCase() + valueOf(c.DeveloperName),
        c,
      ]),
    ),
  ].sort(([a], [b]) => byText(a, b));
  for (const [, competitor] of sorted) {
    const each = rule(
      'competitor',
      competitor.DeveloperName,
      competitor.MasterLabel,
      (competitor.Competitor_Name__c as string | null) ?? null,
      competitor.Is_Active__c,
      'suggestions',
    );
    byName.set(valueOf(competitor.Competitor_Name__c).toLowerCase(), each);
    rules.push(each);
  }
  for (const suggestion of named) {
    if (!sameText(suggestion.Target_Field__c, 'Competitors__c')) continue;
    const before = listItems(suggestion.Value_At_Suggestion__c);
    for (const item of listItems(suggestion.Proposed_Value__c)) {
      const each = before.has(item) ? undefined : byName.get(item);
      if (each) add(each, suggestion.Status__c, 1);
    }
  }
}

function addRiskRules(ctx: OrgContext, rules: Rule[], actionRows: Row[]): void {
  const byAction = new Map<string, Rule[]>();
  const sorted = [
    ...new Map(
      metadata(ctx, 'Risk_Rule__mdt').map((r) => [
        valueOf(r.MasterLabel).toLowerCase() + valueOf(r.DeveloperName),
        r,
      ]),
    ),
  ].sort(([a], [b]) => byText(a, b));
  for (const [, riskRule] of sorted) {
    const action = typeof riskRule.Recommended_Action__c === 'string' ? riskRule.Recommended_Action__c : null;
    const target = valueOf(riskRule.Signal__c) + (action === null ? '' : ` → ${action}`);
    const each = rule(
      'riskRule',
      riskRule.DeveloperName,
      riskRule.MasterLabel,
      target,
      riskRule.Is_Enabled__c,
      action === null ? 'none' : 'actions',
    );
    rules.push(each);
    if (action === null) {
      each.note =
        'Flags the deal and adds to its risk score; it recommends no action, so there is nothing a rep decides to count.';
      continue;
    }
    byAction.set(action, [...(byAction.get(action) ?? []), each]);
  }
  const groups = countBy(actionRows, (row) =>
    [row.Action_Type__c, row.Status__c].map((v) => valueOf(v).toLowerCase()).join('\u0000'),
  );
  for (const { row, made } of groups.values()) {
    // A Map<String, …> key is compared with case in Apex.
    for (const each of byAction.get(valueOf(row.Action_Type__c)) ?? []) add(each, row.Status__c, made);
  }
  for (const [action, sharing] of byAction) {
    if (sharing.length < 2) continue;
    for (const each of sharing) {
      each.note = `Counts every "${action}" action, which ${sharing.length - 1} other rule(s) recommend too.`;
    }
  }
}

function addBuyingPhaseRules(ctx: OrgContext, rules: Rule[]): void {
  for (const phaseRule of bySortOrder(metadata(ctx, 'Buying_Phase_Rule__mdt'))) {
    const each = rule(
      'buyingPhaseRule',
      phaseRule.DeveloperName,
      phaseRule.MasterLabel,
      (phaseRule.Decision_Phase__c as string | null) ?? null,
      phaseRule.Is_Active__c,
      'none',
    );
    each.note =
      "Sets the deal's Customer Decision Phase on each scan: nothing a rep decides, so no effect to count here.";
    rules.push(each);
  }
}

// ---------------------------------------------------------------------------------------------------
// StageCalibrationController (force-app/main/forecasting/classes), below the forecast on its page
// ---------------------------------------------------------------------------------------------------

/** StageCalibrationController.MAX_STAGES. */
const MAX_STAGES = 200;

/** StageCalibrationReport.takeRunFigures: the run's figures, written on each of its rows. */
const RUN_FIGURES: [string, string][] = [
  ['runId', 'Run_Id__c'],
  ['asOfDate', 'As_Of_Date__c'],
  ['computedAt', 'Computed_At__c'],
  ['modelVersion', 'Model_Version__c'],
  ['modelBrierScore', 'Model_Brier_Score__c'],
  ['baseRateBrierScore', 'Base_Rate_Brier_Score__c'],
  ['modelCalibrationError', 'Model_Calibration_Error__c'],
  ['baseWinRate', 'Base_Win_Rate__c'],
  ['evaluatedDealCount', 'Evaluated_Deal_Count__c'],
];
const STAGE_FIGURES: [string, string][] = [
  ['stageName', 'Stage_Name__c'],
  ['statedProbability', 'Stated_Probability__c'],
  ['realizedWinRate', 'Realized_Win_Rate__c'],
  ['sampleSize', 'Sample_Size__c'],
  ['wonCount', 'Won_Count__c'],
  ['intervalLow', 'Interval_Low__c'],
  ['intervalHigh', 'Interval_High__c'],
  ['suggestedProbability', 'Suggested_Probability__c'],
];

/** Stage.compareTo: by the Stage Definition's Sort_Order__c (a stage without one last), then by name. */
function byStageOrder(a: Row, b: Row): number {
  if (a.sortOrder !== b.sortOrder) {
    if (a.sortOrder === null) return 1;
    if (b.sortOrder === null) return -1;
    return (a.sortOrder as number) < (b.sortOrder as number) ? -1 : 1;
  }
  return byText(String(a.stageName), String(b.stageName));
}

/**
 * StageCalibrationController.getLatestCalibration → StageCalibrationSelector → StageCalibrationReport:
 * the rows of the latest run the user may read, each beside what its Stage Definition says today, in
 * the sales process's order; an empty report (runId null) before the service wrote one.
 */
export function getLatestCalibration(ctx: OrgContext): Row {
  try {
    const [latest] = selectAsUser(
      ctx,
      `SELECT Run_Id__c FROM Stage_Calibration__c WHERE Run_Id__c != NULL
       WITH USER_MODE ORDER BY Computed_At__c DESC NULLS LAST, CreatedDate DESC LIMIT 1`,
    );
    const report: Row = Object.fromEntries(RUN_FIGURES.map(([property]) => [property, null]));
    report.stages = [];
    if (typeof latest?.Run_Id__c !== 'string') return report;
    const rows = selectAsUser(
      ctx,
      `SELECT Id, ${[...RUN_FIGURES, ...STAGE_FIGURES].map(([, field]) => field).join(', ')},
         Has_Enough_Data__c, Note__c
       FROM Stage_Calibration__c WHERE Run_Id__c = ${literal(latest.Run_Id__c)}
       WITH USER_MODE ORDER BY Stage_Name__c ASC LIMIT ${MAX_STAGES}`,
    );
    const [first] = rows;
    if (first) {
      for (const [property, field] of RUN_FIGURES) {
        report[property] = property === 'computedAt' ? datetime(first[field]) : (first[field] ?? null);
      }
    }
    // getStageDefinitionsByStageName: a later definition of the same stage name wins, as Map.put does.
    const definitions = new Map(metadata(ctx, 'Stage_Definition__mdt').map((d) => [d.Stage_Name__c, d]));
    report.stages = rows
      .map((row) => {
        const definition = definitions.get(row.Stage_Name__c);
        return {
          ...Object.fromEntries(STAGE_FIGURES.map(([property, field]) => [property, row[field] ?? null])),
          hasEnoughData: row.Has_Enough_Data__c === true,
          note: row.Note__c ?? null,
          ruleProbability: definition?.Default_Probability__c ?? null,
          sortOrder: definition?.Sort_Order__c ?? null,
        };
      })
      .sort(byStageOrder);
    return report;
  } catch (error) {
    throw failed('Could not load the stage calibration report', error);
  }
}
