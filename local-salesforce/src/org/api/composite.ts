import type { OrgContext, RestRequest, RestResponse } from './context.js';
import { SalesforceError } from './errors.js';

/** A request within the versioned REST resources, run as if sent alone (resources.ts's handleRest). */
export type RunRest = (
  ctx: OrgContext,
  req: RestRequest,
  limits: Limits,
) => RestResponse & { failed?: boolean };

/** The org's API call counter, shared by a composite call and its subrequests. */
export interface Limits {
  used: number;
  max: number;
}

/**
 * The composite resource: up to 25 subrequests (at most 5 of them queries or sObject Collections) in
 * one API call (https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/resources_composite_composite_post.htm), later ones
 * using earlier results through `@{referenceId.path}`. With allOrNone, the first failure rolls
 * everything back and every other subrequest reports PROCESSING_HALTED.
 */

const MAX_SUBREQUESTS = 25;
const MAX_QUERIES = 5;

interface Subrequest {
  method: string;
  url: string;
  referenceId: string;
  body?: unknown;
  httpHeaders?: Record<string, string>;
}

interface SubResponse {
  body: unknown;
  httpHeaders: Record<string, string>;
  httpStatusCode: number;
  referenceId: string;
}

class Halt extends Error {}

const halted = (referenceId: string, message: string): SubResponse => ({
  body: [{ errorCode: 'PROCESSING_HALTED', message }],
  httpHeaders: {},
  httpStatusCode: 400,
  referenceId,
});

const ROLLED_BACK_MESSAGE =
  'The transaction was rolled back since another operation in the same transaction failed.';

function parseSubrequests(body: unknown): { allOrNone: boolean; subrequests: Subrequest[] } {
  const b = (body ?? {}) as { allOrNone?: unknown; compositeRequest?: unknown };
  if (!Array.isArray(b.compositeRequest) || b.compositeRequest.length === 0) {
    throw new SalesforceError(
      'JSON_PARSER_ERROR',
      'The composite request needs a non-empty "compositeRequest" array',
    );
  }
  if (b.compositeRequest.length > MAX_SUBREQUESTS) {
    throw new SalesforceError(
      'LIMIT_EXCEEDED',
      `A composite request may have at most ${MAX_SUBREQUESTS} subrequests; this one has ${b.compositeRequest.length}`,
    );
  }
  const subrequests = b.compositeRequest as Subrequest[];
  for (const s of subrequests) {
    if (typeof s?.method !== 'string' || typeof s.url !== 'string' || typeof s.referenceId !== 'string') {
      throw new SalesforceError('JSON_PARSER_ERROR', 'Each subrequest needs method, url and referenceId');
    }
  }
  // Of the 25, at most five may be query operations (Query, QueryAll, a query's next page) or sObject
  // Collections requests: https://medium.com/another-integration-blog/salesforce-composite-request-camouflages-and-alternatives-f0b416fdf0da
  // (from the Composite resource's documentation, "Send Multiple Requests Using Composite").
  const heavy = subrequests.filter((s) =>
    /\/(query|queryAll)(\/|\?|$)|\/composite\/sobjects(\/|\?|$)/.test(s.url.split('#')[0]!),
  ).length;
  if (heavy > MAX_QUERIES) {
    throw new SalesforceError(
      'LIMIT_EXCEEDED',
      `A composite request may have at most ${MAX_QUERIES} query or sObject Collections subrequests; this one has ${heavy}`,
    );
  }
  return { allOrNone: b.allOrNone === true, subrequests };
}

/** Follows `id`, `records[0].Id` or `[0].id` into an earlier subrequest's response body. */
function lookup(results: Map<string, unknown>, expression: string): unknown {
  const [ref, ...rest] = expression.split(/(?=[.[])/);
  if (!ref || !results.has(ref)) return undefined;
  let value: unknown = results.get(ref);
  for (const step of rest) {
    const key = step.startsWith('[') ? Number(step.slice(1, -1)) : step.slice(1);
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<string | number, unknown>)[key];
  }
  return value;
}

class BadReference extends Error {}

function substitute(value: unknown, results: Map<string, unknown>): unknown {
  if (typeof value === 'string') {
    const whole = /^@\{([^}]+)\}$/.exec(value);
    if (whole) {
      const found = lookup(results, whole[1]!);
      if (found === undefined) throw new BadReference(whole[1]);
      return found;
    }
    return value.replace(/@\{([^}]+)\}/g, (_, expr: string) => {
      const found = lookup(results, expr);
      if (found === undefined) throw new BadReference(expr);
      return String(found);
    });
  }
  if (Array.isArray(value)) return value.map((v) => substitute(v, results));
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, substitute(v, results)]));
  }
  return value;
}

function referencedIds(s: Subrequest): string[] {
  const text = s.url + JSON.stringify(s.body ?? null);
  return [...text.matchAll(/@\{([A-Za-z0-9_]+)/g)].map((m) => m[1]!);
}

function runOne(
  ctx: OrgContext,
  s: Subrequest,
  results: Map<string, unknown>,
  limits: Limits,
  runRest: RunRest,
  outerAllOrNone: boolean,
): { response: SubResponse; failed: boolean } {
  let url: string;
  let body: unknown;
  try {
    url = String(substitute(s.url, results));
    body = substitute(s.body, results);
  } catch (error) {
    if (!(error instanceof BadReference)) throw error;
    const message = `Invalid reference specified. No value for ${error.message} found in ${s.referenceId}.`;
    return {
      response: {
        body: [{ errorCode: 'INVALID_API_INPUT', message }],
        httpHeaders: {},
        httpStatusCode: 400,
        referenceId: s.referenceId,
      },
      failed: true,
    };
  }
  const parsed = new URL(url, 'http://local');
  const prefix = `/services/data/v${ctx.apiVersion}`;
  if (!parsed.pathname.startsWith(prefix)) {
    const message = `The subrequest URL must start with ${prefix}/`;
    return {
      response: {
        body: [{ errorCode: 'INVALID_API_INPUT', message }],
        httpHeaders: {},
        httpStatusCode: 400,
        referenceId: s.referenceId,
      },
      failed: true,
    };
  }
  const path = parsed.pathname.slice(prefix.length);
  // The composite's allOrNone overrides the one of each sObject Collections subrequest.
  if (outerAllOrNone && path.startsWith('/composite/sobjects') && body && typeof body === 'object') {
    body = { ...(body as object), allOrNone: true };
  }
  if (outerAllOrNone && path.startsWith('/composite/sobjects') && s.method.toUpperCase() === 'DELETE') {
    parsed.searchParams.set('allOrNone', 'true');
  }
  const req: RestRequest = {
    method: s.method.toUpperCase(),
    path,
    query: parsed.searchParams,
    body,
    headers: Object.fromEntries(Object.entries(s.httpHeaders ?? {}).map(([k, v]) => [k.toLowerCase(), v])),
  };
  const result = runRest(ctx, req, limits);
  results.set(s.referenceId, result.body);
  return {
    response: {
      body: result.body,
      httpHeaders: result.headers ?? {},
      httpStatusCode: result.status,
      referenceId: s.referenceId,
    },
    failed: result.status >= 400 || (outerAllOrNone && result.failed === true),
  };
}

export function handleComposite(
  ctx: OrgContext,
  req: RestRequest,
  limits: Limits,
  runRest: RunRest,
): RestResponse {
  const { allOrNone, subrequests } = parseSubrequests(req.body);
  const results = new Map<string, unknown>();
  const responses: SubResponse[] = [];
  if (allOrNone) {
    let failedAt = -1;
    try {
      ctx.store.atomic(() => {
        for (const [i, s] of subrequests.entries()) {
          const { response, failed } = runOne(ctx, s, results, limits, runRest, true);
          responses.push(response);
          if (failed) {
            failedAt = i;
            throw new Halt();
          }
        }
      });
    } catch (error) {
      if (!(error instanceof Halt)) throw error;
    }
    if (failedAt >= 0) {
      const failure = responses[failedAt]!;
      return {
        status: 200,
        body: {
          compositeResponse: subrequests.map((s, i) =>
            i === failedAt ? failure : halted(s.referenceId, ROLLED_BACK_MESSAGE),
          ),
        },
      };
    }
    return { status: 200, body: { compositeResponse: responses } };
  }
  const failedRefs = new Set<string>();
  for (const s of subrequests) {
    const broken = referencedIds(s).find((ref) => failedRefs.has(ref));
    if (broken) {
      failedRefs.add(s.referenceId);
      responses.push(
        halted(s.referenceId, `The subrequest it depends on (${broken}) failed, so it was not run.`),
      );
      continue;
    }
    const { response, failed } = runOne(ctx, s, results, limits, runRest, false);
    if (failed) failedRefs.add(s.referenceId);
    responses.push(response);
  }
  return { status: 200, body: { compositeResponse: responses } };
}
