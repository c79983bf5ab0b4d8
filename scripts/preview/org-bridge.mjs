// The preview's way into a live local org, standing where Lightning Experience's server stands between a
// component and its Apex: the gallery's Apex runtime posts { user, method, params } to /org/apex and
// the bridge calls the org's Apex REST entry point for that method (APEX_ENTRY_POINTS) with a session of
// that user, so the org decides what the user may see and do. A method the org does not emulate is
// answered { served: false }, and the gallery answers it from the scenario's fixtures (and says so).
import { APEX_ENTRY_POINTS } from '@pipeline-scribe/local-salesforce/org/api/apex-rest';

const MAX_BODY = 256 * 1024;

/** What the highlights panel shows (record_flexipage:dynamicHighlights reads these through the UI API). */
const HIGHLIGHTS_QUERY = (id) =>
  `SELECT Id, Name, Account.Name, CloseDate, Amount, StageName, Owner.Name FROM Opportunity WHERE Id = '${id}'`;

const ID = /^[a-zA-Z0-9]{15}(?:[a-zA-Z0-9]{3})?$/;

function readJson(request) {
  return new Promise((resolve, reject) => {
    let size = 0;
    const chunks = [];
    request.on('data', (chunk) => {
      size += chunk.length;
      if (size > MAX_BODY) reject(new Error(`the request body is over ${MAX_BODY} bytes`));
      else chunks.push(chunk);
    });
    request.on('end', () => {
      try {
        resolve(JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}'));
      } catch {
        reject(new Error('the request body is not JSON'));
      }
    });
    request.on('error', reject);
  });
}

const send = (response, status, body) =>
  response.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));

/**
 * How Lightning hands a component an Apex failure: `error.body.message` is the AuraHandledException's
 * message (https://developer.salesforce.com/docs/platform/lwc/guide/apex-result-errors.html).
 */
function auraError(status, body) {
  const [first] = Array.isArray(body) ? body : [body];
  const message = String(first?.message ?? 'The org did not answer.').replace(
    /^System\.AuraHandledException: /,
    '',
  );
  return { error: { status, body: { message }, headers: {} } };
}

/** The bridge over one org: handle(request, response) answers /org/* and returns false for anything else. */
export function orgBridge(org) {
  const sessions = new Map();
  const session = (username) => {
    if (!org.users.some((user) => user.username === username)) {
      throw new Error(
        `the local org has no user ${username}; use one of ${org.users.map((u) => u.username).join(', ')}`,
      );
    }
    if (!sessions.has(username)) sessions.set(username, org.issueAccessToken(username));
    return sessions.get(username);
  };
  const call = async (username, method, path, body) => {
    const response = await fetch(`${org.url}${path}`, {
      method,
      headers: { authorization: `Bearer ${session(username)}`, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: response.status, body: await response.json() };
  };
  const apexPath = (entry) =>
    `/services/apexrest${org.schema.namespace ? `/${org.schema.namespace}` : ''}${entry.path}`;

  async function apex({ user, method, params }) {
    const entry = APEX_ENTRY_POINTS[method];
    if (!entry) return { served: false };
    const { status, body } = await call(user, 'POST', apexPath(entry), params ?? {});
    return status === 200 ? { result: body } : auraError(status, body);
  }

  async function record({ user, recordId }) {
    if (!ID.test(String(recordId))) return auraError(400, { message: `"${recordId}" is not a record id.` });
    const query = encodeURIComponent(HIGHLIGHTS_QUERY(recordId));
    const { status, body } = await call(user, 'GET', `/services/data/v62.0/query?q=${query}`);
    if (status !== 200) return auraError(status, body);
    const [row] = body.records;
    if (!row) return auraError(404, { message: 'This record no longer exists or you cannot see it.' });
    return {
      result: {
        id: row.Id,
        name: row.Name,
        accountName: row.Account?.Name ?? null,
        closeDate: row.CloseDate,
        amount: row.Amount,
        stageName: row.StageName,
        ownerName: row.Owner?.Name ?? null,
      },
    };
  }

  async function user({ user: username }) {
    session(username);
    const person = org.store.findBy('User', 'Username', username)[0];
    return { result: { username, name: person?.Name ?? username, served: Object.keys(APEX_ENTRY_POINTS) } };
  }

  const ROUTES = { '/org/apex': apex, '/org/record': record, '/org/user': user };

  return async function handle(request, response, urlPath) {
    const route = ROUTES[urlPath];
    if (!route) return false;
    if (request.method !== 'POST') {
      send(response, 405, { error: `${urlPath} takes POST` });
      return true;
    }
    try {
      send(response, 200, await route(await readJson(request)));
    } catch (error) {
      send(response, 400, auraError(400, { message: error.message }));
    }
    return true;
  };
}
