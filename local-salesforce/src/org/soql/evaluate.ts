import type { ObjectDef, OrgSchema } from '../schema/types.js';
import type { RecordStore, SObjectRecord } from '../store/record-store.js';
import { invalidType, malformedQuery } from '../api/errors.js';
import type { Condition, OrderItem, Query } from './parser.js';
import { placeValue, readPath, recordUrl, resolvePath, type ResolvedPath, type Visible } from './resolve.js';
import { compileFilter, compareValues } from './filter.js';

/**
 * Runs a parsed SOQL query against the store: filters, sorts, pages and shapes records the way the
 * REST API returns them, with child subqueries as nested query results.
 */

export interface QueryContext {
  schema: OrgSchema;
  store: RecordStore;
  apiVersion: string;
  now: number;
  includeDeleted: boolean;
  /**
   * The records the acting user can see; the others are simply absent (COUNT() too), and a parent
   * they cannot see reads as an empty lookup. `schema` is then the user's view of the schema.
   */
  visible?: Visible;
}

export interface QueryOutput {
  totalSize: number;
  records: Record<string, unknown>[];
}

type Predicate = (record: SObjectRecord) => boolean;

interface Plan {
  object: ObjectDef;
  predicate: Predicate;
  order: { path: ResolvedPath; item: OrderItem }[];
  fields: ResolvedPath[];
  children: { name: string; childField: string; plan: Plan; query: Query }[];
  countOnly: boolean;
  limit: number | null;
  offset: number | null;
}

function plan(ctx: QueryContext, query: Query, object: ObjectDef): Plan {
  const fields: ResolvedPath[] = [];
  const children: Plan['children'] = [];
  let countOnly = false;
  for (const item of query.select) {
    if (item.kind === 'count') {
      if (query.select.length > 1)
        throw malformedQuery('COUNT() must be the only element in the SELECT list');
      countOnly = true;
    } else if (item.kind === 'field') {
      fields.push(resolvePath(ctx.schema, object, item.path));
    } else {
      const relation = object.childRelationships.find(
        (r) => r.relationshipName.toLowerCase() === item.query.from.toLowerCase(),
      );
      if (!relation) {
        throw malformedQuery(
          `Didn't understand relationship '${item.query.from}' in FROM part of query call. If you are attempting to use a custom relationship, be sure to append the '__r' after the custom relationship name.`,
        );
      }
      const childObject = ctx.schema.object(relation.childSObject)!;
      children.push({
        name: relation.relationshipName,
        childField: relation.field,
        plan: plan(ctx, item.query, childObject),
        query: item.query,
      });
    }
  }
  return {
    object,
    predicate: query.where ? compileCondition(ctx, object, query.where) : () => true,
    order: query.orderBy.map((item) => ({ path: resolvePath(ctx.schema, object, item.path), item })),
    fields,
    children,
    countOnly,
    limit: query.limit,
    offset: query.offset,
  };
}

function compileCondition(ctx: QueryContext, object: ObjectDef, condition: Condition): Predicate {
  switch (condition.kind) {
    case 'and': {
      const parts = condition.items.map((c) => compileCondition(ctx, object, c));
      return (r) => parts.every((p) => p(r));
    }
    case 'or': {
      if (condition.items.some((c) => c.kind === 'semiJoin')) {
        throw malformedQuery("Semi join sub-selects are not allowed with the 'OR' operator");
      }
      const parts = condition.items.map((c) => compileCondition(ctx, object, c));
      return (r) => parts.some((p) => p(r));
    }
    case 'not': {
      const inner = compileCondition(ctx, object, condition.item);
      return (r) => !inner(r);
    }
    case 'semiJoin': {
      const path = resolvePath(ctx.schema, object, condition.path);
      if (path.field.type !== 'id' && path.field.type !== 'reference') {
        throw malformedQuery(
          `semi join sub-selects can only filter an Id or a reference field, not ${path.field.name}`,
        );
      }
      const inner = condition.query;
      const innerObject = ctx.schema.object(inner.from);
      if (!innerObject) throw invalidType(inner.from);
      const only = inner.select[0];
      if (inner.select.length !== 1 || only?.kind !== 'field') {
        throw malformedQuery('a semi join sub-select must select exactly one Id or reference field');
      }
      const selected = resolvePath(ctx.schema, innerObject, only.path);
      const innerPlan = plan(ctx, inner, innerObject);
      const ids = new Set(
        select(ctx, innerPlan, candidates(ctx, innerObject))
          .map((r) => readPath(ctx.store, r, selected, ctx.visible))
          .filter((v): v is string => typeof v === 'string'),
      );
      return (r) => {
        const value = readPath(ctx.store, r, path, ctx.visible);
        const hit = typeof value === 'string' && ids.has(value);
        return condition.negated ? !hit : hit;
      };
    }
    default: {
      const path = resolvePath(ctx.schema, object, condition.path);
      const test = compileFilter(condition, path.field, ctx.now);
      return (r) => test(readPath(ctx.store, r, path, ctx.visible));
    }
  }
}

function candidates(ctx: QueryContext, object: ObjectDef): SObjectRecord[] {
  return visibleOnly(ctx, object, ctx.store.all(object.name, ctx.includeDeleted));
}

function visibleOnly(ctx: QueryContext, object: ObjectDef, records: SObjectRecord[]): SObjectRecord[] {
  const visible = ctx.visible;
  return visible ? records.filter((r) => visible(object.name, r)) : records;
}

/** Filters, sorts and applies OFFSET and LIMIT. */
function select(ctx: QueryContext, p: Plan, records: SObjectRecord[]): SObjectRecord[] {
  const kept = records.filter(p.predicate);
  if (p.order.length > 0) {
    kept.sort((a, b) => {
      for (const { path, item } of p.order) {
        const va = readPath(ctx.store, a, path, ctx.visible);
        const vb = readPath(ctx.store, b, path, ctx.visible);
        if (va === null || vb === null) {
          if (va === vb) continue;
          return (va === null) === item.nullsLast ? 1 : -1;
        }
        const c = compareValues(va, vb, path.field.type);
        if (c !== 0) return item.descending ? -c : c;
      }
      return 0;
    });
  }
  const start = p.offset ?? 0;
  return kept.slice(start, p.limit === null ? undefined : start + p.limit);
}

function shape(ctx: QueryContext, p: Plan, record: SObjectRecord): Record<string, unknown> {
  const out: Record<string, unknown> = {
    attributes: { type: p.object.name, url: recordUrl(ctx.apiVersion, p.object.name, record.Id) },
  };
  for (const path of p.fields) placeValue(out, ctx.store, record, path, ctx.apiVersion, ctx.visible);
  for (const child of p.children) {
    const related = visibleOnly(
      ctx,
      child.plan.object,
      ctx.store.findBy(child.plan.object.name, child.childField, record.Id),
    );
    const rows = select(ctx, child.plan, related);
    out[child.name] =
      rows.length === 0
        ? null
        : { totalSize: rows.length, done: true, records: rows.map((r) => shape(ctx, child.plan, r)) };
  }
  return out;
}

export function runQuery(ctx: QueryContext, query: Query): QueryOutput {
  const object = ctx.schema.object(query.from);
  if (!object) throw invalidType(query.from);
  const p = plan(ctx, query, object);
  const rows = select(ctx, p, candidates(ctx, object));
  if (p.countOnly) return { totalSize: rows.length, records: [] };
  return { totalSize: rows.length, records: rows.map((r) => shape(ctx, p, r)) };
}
