import { z } from 'zod';
import { closest, distance } from 'fastest-levenshtein';

/**
 * How every settings section reads the environment: the variables its zod schema names are taken
 * (an empty one counts as unset: shells and .env files leave them behind), checked together, and
 * every failure is explained at once as `NAME is not valid ("value"): fix`. A secret's value (keys,
 * tokens, private keys, URLs that may hold a password) is never shown, only its name and fix.
 */

export type Env = Readonly<Record<string, string | undefined>>;

/** A section's refusal; each section names its own (ServiceConfigError, SalesforceConfigError, …). */
export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

/** How to fix each variable of a section's schema, in words an operator can act on. */
export type Fixes<S extends z.ZodObject> = Record<keyof z.output<S> & string, string>;

/** One variable the schema refused. */
export interface SettingProblem {
  name: string;
  /** The value as read; undefined when it is not set or is a secret. */
  shown: string | undefined;
  /** Whether the variable was set at all (a secret may be set and still not shown). */
  set: boolean;
  fix: string;
}

export interface SectionOptions<S extends z.ZodObject> {
  /** The section's error class; the message holds every problem, joined with '; '. */
  error: new (message: string) => Error;
  /** Variables whose values are never echoed. */
  secret?: readonly (keyof z.output<S> & string)[];
  /** How one problem reads; `NAME is not valid ("value"): fix` (or `is not set`) unless given. */
  explain?: (problem: SettingProblem) => string;
  /**
   * Prefixes that belong to this section alone (SF_, GONG_): any other variable under them is a
   * mistake. Under a prefix the section shares (SCRIBE_, OPENAI_), only a near miss of one of its
   * names is, since the other sections (and the OpenAI SDK) have variables of their own there.
   */
  owns?: readonly string[];
  /** Variables under an owned prefix that other tools read (the Salesforce CLI's SF_*), left alone. */
  othersUse?: ReadonlySet<string>;
}

/** `NAME is not valid ("value"): fix`, without the value for a secret; `NAME is not set: fix` when missing. */
export function explainProblem({ name, shown, set, fix }: SettingProblem): string {
  if (!set) return `${name} is not set: ${fix}`;
  return `${name} is not valid${shown === undefined ? '' : ` ("${shown}")`}: ${fix}`;
}

/** The variables a schema names, trimmed, leaving out the unset and the empty. */
export function presentVariables(env: Env, names: readonly string[]): Record<string, string> {
  const present: Record<string, string> = {};
  for (const name of names) {
    const value = env[name]?.trim();
    if (value !== undefined && value !== '') present[name] = value;
  }
  return present;
}

/** Every name a section has read so far: a near miss of one section may be another's own name. */
const known = new Set<string>();

/** A typo rather than a variable of something else: at most two edits, and fewer for short names. */
function nearMiss(name: string, candidate: string): boolean {
  return distance(name, candidate) <= Math.min(2, Math.floor(candidate.length / 5));
}

/**
 * Set variables the section does not know but looks as if it should: anything under a prefix it
 * owns, or a near miss of one of its names under the prefix it shares (its names' first word and _).
 * A misspelled setting silently left at its default is how a service fails open.
 */
function unknownVariables(env: Env, names: readonly string[], options: SectionOptions<z.ZodObject>) {
  const ours = new Set(names);
  const shared = new Set(names.map((name) => name.slice(0, name.indexOf('_') + 1)).filter(Boolean));
  const problems: string[] = [];
  for (const [name, value] of Object.entries(env)) {
    if (ours.has(name) || known.has(name) || options.othersUse?.has(name)) continue;
    if (value === undefined || value.trim() === '') continue;
    const likely = closest(name, names);
    const owned = options.owns?.some((prefix) => name.startsWith(prefix)) ?? false;
    const typo = [...shared].some((prefix) => name.startsWith(prefix)) && nearMiss(name, likely);
    if (owned || typo) {
      problems.push(`${name} is not a setting the service knows: did you mean ${likely}? Rename or unset it`);
    }
  }
  return problems;
}

/**
 * Reads one section: the present variables, checked by its schema (defaults applied), or the
 * section's error explaining every refused variable once, in the schema's order of issues, and
 * every variable that looks meant for it but is not one of its names.
 */
export function readSection<S extends z.ZodObject>(
  env: Env,
  schema: S,
  fixes: Fixes<S>,
  options: SectionOptions<S>,
): z.output<S> {
  const names = Object.keys(schema.shape);
  for (const name of names) known.add(name);
  const present = presentVariables(env, names);
  const parsed = schema.safeParse(present);
  const unknown = unknownVariables(env, names, options as SectionOptions<z.ZodObject>);
  if (parsed.success) {
    if (unknown.length > 0) throw new options.error(unknown.join('; '));
    return parsed.data;
  }
  const problems: string[] = [];
  const secret = new Set<string>(options.secret ?? []);
  const explain = options.explain ?? explainProblem;
  const named = new Set<string>();
  for (const issue of parsed.error.issues) {
    const name = String(issue.path[0]);
    // A value can break more than one check (a negative fraction for a whole number of at least 1).
    if (named.has(name)) continue;
    named.add(name);
    const set = present[name] !== undefined;
    problems.push(
      explain({
        name,
        shown: set && !secret.has(name) ? present[name] : undefined,
        set,
        fix: fixes[name as keyof Fixes<S>] ?? '',
      }),
    );
  }
  throw new options.error([...problems, ...unknown].join('; '));
}

/** A failure found after the schema (a pair set by half, a key file that cannot be read): `NAME what: fix`. */
export function problemWith<S extends z.ZodObject>(fixes: Fixes<S>) {
  return (name: keyof Fixes<S> & string, what: string): string => `${name} ${what}: ${fixes[name]}`;
}

/** A whole number of at least min (and at most max, when given). */
export function wholeNumber(min: number, max?: number) {
  const atLeast = z.coerce.number().int().min(min);
  return max === undefined ? atLeast : atLeast.max(max);
}

/** A TCP port; 0 picks a free one. */
export const port = wholeNumber(0, 65_535);

/** An http or https URL. */
export const httpUrl = z.url({ protocol: /^https?$/ });
