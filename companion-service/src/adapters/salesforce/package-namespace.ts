import { PackageDirError, readObjects } from '@pipeline-scribe/force-app-model';

/**
 * The package's names as the org spells them. In a subscriber org every custom object, field,
 * relationship, platform event and custom metadata type the managed package owns carries its
 * namespace (`pscribe__Suggestion__c`, `Opportunity.pscribe__Risk_Score__c`), while standard names
 * and the subscriber's own custom fields do not.
 * https://developer.salesforce.com/docs/atlas.en-us.packagingGuide.meta/packagingGuide/packaging_namespace_prefix.htm
 *
 * The service speaks local names throughout, as the package's own Apex does (inside its namespace
 * Apex, dynamic SOQL and describe keys resolve local names), and this codec translates at the edge:
 * names going out get the prefix when the package owns them, names coming back lose it. Values stay
 * as they are: custom metadata and Suggestion__c.Target_Field__c name fields by their local names, as
 * the package's Apex reads them.
 */

const SUFFIX = /__(c|r|e|mdt)$/i;

/** Local names (lower-cased) of every component force-app defines: objects, fields, relationships. */
export async function readPackageNames(packageDir: string): Promise<Set<string>> {
  let objects: ReturnType<typeof readObjects>;
  try {
    objects = readObjects(packageDir);
  } catch (error) {
    const cause = error instanceof PackageDirError ? (error.cause as Error) : (error as Error);
    throw new Error(
      `cannot read the package's schema from ${packageDir}: ${cause.message}; set SCRIBE_PACKAGE_DIR to the force-app folder`,
    );
  }
  const names = new Set<string>();
  for (const object of objects.values()) {
    if (SUFFIX.test(object.name)) names.add(object.name.toLowerCase());
    for (const field of object.fields.values()) {
      names.add(field.fileName.toLowerCase());
      if (field.type === 'Lookup' || field.type === 'MasterDetail') {
        names.add(field.fileName.replace(/__c$/i, '__r').toLowerCase());
        if (field.relationshipName) names.add(`${field.relationshipName}__r`.toLowerCase());
      }
    }
  }
  return names;
}

type Json = unknown;

/** Keys of describe and error bodies whose string values are API names, not data. */
const NAME_VALUED_KEYS = new Set([
  'name',
  'type',
  'referenceTo',
  'relationshipName',
  'childSObject',
  'field',
  'fields',
  'sobjectType',
]);

export class PackageNamespace {
  private readonly prefix: string;

  constructor(
    /** '' when the package is installed without a namespace (an unmanaged or dev install). */
    readonly namespace: string,
    private readonly names: Set<string>,
  ) {
    this.prefix = namespace ? `${namespace}__` : '';
  }

  /** Finds the namespace from the org's object list: the prefix its copy of a package object carries. */
  static discover(orgObjects: string[], names: Set<string>): PackageNamespace {
    const objects = new Set([...names].filter((n) => /__(c|e)$/.test(n)));
    let unprefixed = false;
    for (const apiName of orgObjects) {
      const lower = apiName.toLowerCase();
      const match = /^([a-z][a-z0-9]*)__(.+__(?:c|e))$/.exec(lower);
      // A namespaced copy wins: the subscriber may have an object of their own with a package name.
      if (match && objects.has(match[2]!))
        return new PackageNamespace(apiName.slice(0, match[1]!.length), names);
      if (objects.has(lower)) unprefixed = true;
    }
    if (unprefixed) return new PackageNamespace('', names);
    throw new Error(
      'the org does not show the Pipeline Scribe package to this user: install the package and assign the Pipeline Scribe Integration permission set to the integration user',
    );
  }

  /** A local name as the org spells it (`Suggestion__c` → `pscribe__Suggestion__c`). */
  toOrg(name: string): string {
    return this.prefix && this.names.has(name.toLowerCase()) ? this.prefix + name : name;
  }

  /** An org name as the service spells it (`pscribe__Suggestion__c` → `Suggestion__c`). */
  fromOrg(name: string): string {
    if (!this.prefix || name.length <= this.prefix.length) return name;
    if (name.slice(0, this.prefix.length).toLowerCase() !== this.prefix.toLowerCase()) return name;
    const local = name.slice(this.prefix.length);
    return this.names.has(local.toLowerCase()) ? local : name;
  }

  /** SOQL with the package's names prefixed; string literals are data and are left alone. */
  soqlToOrg(soql: string): string {
    if (!this.prefix) return soql;
    return soql.replace(/'(?:[^'\\]|\\.)*'|[A-Za-z][A-Za-z0-9_]*/g, (token) =>
      token.startsWith("'") ? token : this.toOrg(token),
    );
  }

  /** A REST path (after /services/data/vXX.X, or whole) with object and field names and `q` translated. */
  pathToOrg(resource: string): string {
    if (!this.prefix) return resource;
    const queryAt = resource.indexOf('?');
    const pathPart = queryAt < 0 ? resource : resource.slice(0, queryAt);
    const segments = pathPart.split('/');
    const at = segments.findIndex((s) => s === 'sobjects' || s === 'tree');
    if (at >= 0) {
      // sobjects/<Type>[/<Id or external id field>[/<value>]]: the type and the external id field
      // (record ids and values never carry a package name).
      for (const i of [at + 1, at + 2]) {
        if (segments[i]) segments[i] = this.toOrg(decodeURIComponent(segments[i]!));
      }
    }
    if (queryAt < 0) return segments.join('/');
    const params = new URLSearchParams(resource.slice(queryAt + 1));
    const q = params.get('q');
    if (q !== null) params.set('q', this.soqlToOrg(q));
    const fields = params.get('fields');
    if (fields !== null)
      params.set(
        'fields',
        fields
          .split(',')
          .map((f) => this.toOrg(f.trim()))
          .join(','),
      );
    return `${segments.join('/')}?${params.toString()}`;
  }

  /** A CSV column (`Opportunity__r.External_Id__c`) as the org spells it, segment by segment. */
  columnToOrg(column: string): string {
    return column
      .split('.')
      .map((segment) => this.toOrg(segment))
      .join('.');
  }

  /** A CSV column as the service spells it. */
  columnFromOrg(column: string): string {
    return column
      .split('.')
      .map((segment) => this.fromOrg(segment))
      .join('.');
  }

  /** A request body with record keys, `attributes.type` and composite subrequest URLs translated. */
  bodyToOrg(body: Json): Json {
    if (!this.prefix) return body;
    return this.walk(
      body,
      (key) => this.toOrg(key),
      (key, value) => {
        if (key === 'type' || key === 'referenceTo') return this.toOrg(value);
        if (key === 'url') return this.pathToOrg(value);
        return value;
      },
    );
  }

  /** A response body with the package's prefix taken off record keys and name-valued metadata. */
  bodyFromOrg(body: Json): Json {
    if (!this.prefix) return body;
    return this.walk(
      body,
      (key) => this.fromOrg(key),
      (key, value) =>
        NAME_VALUED_KEYS.has(key) ? this.fromOrg(value) : key === 'url' ? this.urlFromOrg(value) : value,
    );
  }

  private urlFromOrg(url: string): string {
    return url.replace(/\/sobjects\/([^/?]+)/, (_m, type: string) => `/sobjects/${this.fromOrg(type)}`);
  }

  private walk(
    value: Json,
    key: (k: string) => string,
    text: (k: string, v: string) => string,
    parent = '',
  ): Json {
    if (Array.isArray(value)) {
      return value.map((item) =>
        typeof item === 'string' ? text(parent, item) : this.walk(item, key, text, parent),
      );
    }
    if (value === null || typeof value !== 'object') return value;
    const out: Record<string, Json> = {};
    for (const [k, v] of Object.entries(value as Record<string, Json>)) {
      out[key(k)] = typeof v === 'string' ? text(k, v) : this.walk(v, key, text, k);
    }
    return out;
  }
}
