import path from 'node:path';
import { listPackageFiles, parseXml, type Xml } from '@pipeline-scribe/force-app-model';
import type { OrgContext } from './context.js';

/**
 * The package's named credentials as this org holds them, and Apex's `new Http().send()` to a
 * `callout:<Named_Credential>/path` endpoint. Each credential starts with the URL force-app ships
 * (an address that never resolves, `.invalid`) and no secret: the admin sets the service's address
 * and its API key after install (Setup > Named Credentials, and the external credential's principal),
 * which here is `LocalOrg.setNamedCredential`. Until then a callout fails as a real org's would.
 */

export interface NamedCredentialSetting {
  /** The service's address (https in a real org; the local org also calls http on loopback). */
  url: string;
  /** The external credential principal's API_Key parameter: sent as `Authorization: Bearer <key>`. */
  apiKey: string | null;
}

interface NamedCredential extends NamedCredentialSetting {
  /** `<ExternalCredential>-<Principal>`: what a user's permission set must grant to call through it. */
  principals: string[];
}

/** Apex's CalloutException: the Apex catches it (or lets it out as System.CalloutException). */
export class CalloutError extends Error {}

export interface CalloutResponse {
  status: number;
  body: string;
}

/**
 * The named credentials force-app declares, by API name, each with its shipped URL and the principals
 * of its external credential (NamedPrincipal parameters of the external credential it names).
 */
export function readNamedCredentials(packageDir: string): Map<string, NamedCredential> {
  const files = listPackageFiles(packageDir);
  const list = (v: unknown): Xml[] => (Array.isArray(v) ? (v as Xml[]) : v ? [v as Xml] : []);
  const principalsOf = new Map<string, string[]>();
  for (const file of files.filter((f) => f.endsWith('.externalCredential-meta.xml'))) {
    const name = path.basename(file).replace(/\.externalCredential-meta\.xml$/, '');
    const doc = (parseXml(file).ExternalCredential ?? {}) as Xml;
    principalsOf.set(
      name,
      list(doc.externalCredentialParameters)
        .filter((p) => p.parameterType === 'NamedPrincipal')
        .map((p) => `${name}-${String(p.parameterName)}`),
    );
  }
  const credentials = new Map<string, NamedCredential>();
  for (const file of files.filter((f) => f.endsWith('.namedCredential-meta.xml'))) {
    const name = path.basename(file).replace(/\.namedCredential-meta\.xml$/, '');
    const parameters = list(((parseXml(file).NamedCredential ?? {}) as Xml).namedCredentialParameters);
    const url = parameters.find((p) => p.parameterType === 'Url')?.parameterValue;
    const external = parameters.find((p) => p.parameterType === 'Authentication')?.externalCredential;
    credentials.set(name, {
      url: typeof url === 'string' ? url : '',
      apiKey: null,
      principals: typeof external === 'string' ? (principalsOf.get(external) ?? []) : [],
    });
  }
  return credentials;
}

/** The org's named credentials: what the admin set on each, over what the package shipped. */
export class NamedCredentials {
  constructor(private readonly byName: Map<string, NamedCredential>) {}

  /** What the admin does in Setup after install: the service's address and its API key. */
  set(name: string, setting: NamedCredentialSetting): void {
    const shipped = this.byName.get(name);
    if (!shipped) throw new Error(`the package has no named credential ${name}`);
    this.byName.set(name, { ...shipped, ...setting });
  }

  get(name: string): NamedCredential | undefined {
    return this.byName.get(name);
  }
}

/**
 * `Http.send` of a request to `callout:<credential><path>` as the calling user, with the request's
 * timeout. A user needs access to the external credential's principal through a permission set
 * ("To perform callouts using a named credential, users need access to: The principal that's defined
 * in the external credential", https://help.salesforce.com/apex/HTViewHelpDoc?id=xcloud.nc_troubleshoot.htm);
 * an address that does not answer, or answers too late, throws CalloutException as Apex does
 * (https://developer.salesforce.com/docs/atlas.en-us.apexcode.meta/apexcode/apex_callouts_timeouts.htm).
 */
export async function callout(
  ctx: OrgContext,
  credentials: NamedCredentials,
  request: { credential: string; method: 'GET' | 'POST'; path: string; body?: string; timeoutMs: number },
): Promise<CalloutResponse> {
  const ns = ctx.schema.namespace;
  const local =
    ns && request.credential.startsWith(`${ns}__`)
      ? request.credential.slice(ns.length + 2)
      : request.credential;
  const credential = credentials.get(local);
  if (!credential) {
    throw new CalloutError(`Unable to find the named credential: ${request.credential}`);
  }
  if (ctx.access && !credential.principals.some((p) => ctx.access!.mayUsePrincipal(p))) {
    throw new CalloutError(
      `We couldn't access the credential(s). You might not have the required permissions, or the external credential "${request.credential}" might not exist.`,
    );
  }
  let target: URL;
  try {
    target = new URL(`${credential.url.replace(/\/$/, '')}${request.path}`);
  } catch {
    throw new CalloutError(`Invalid URL of the named credential ${request.credential}: ${credential.url}`);
  }
  // The reserved .invalid domain never resolves (RFC 6761): the package's shipped address.
  if (target.hostname.endsWith('.invalid')) {
    throw new CalloutError(`Unable to resolve host: ${target.hostname}`);
  }
  const headers: Record<string, string> = { accept: 'application/json' };
  if (credential.apiKey) headers.authorization = `Bearer ${credential.apiKey}`;
  if (request.body !== undefined) headers['content-type'] = 'application/json';
  try {
    const response = await fetch(target, {
      method: request.method,
      headers,
      body: request.body,
      signal: AbortSignal.timeout(request.timeoutMs),
    });
    return { status: response.status, body: await response.text() };
  } catch (error) {
    if ((error as Error).name === 'TimeoutError') throw new CalloutError('Read timed out');
    throw new CalloutError(`Unable to connect to ${target.host}: ${(error as Error).message}`);
  }
}
