/**
 * Reduces the errors Lightning Data Service and Apex hand to a component (one error, an array, a fetch
 * response body, page and field errors) to a flat list of messages a rep can read.
 * @param {unknown} errors
 * @returns {string[]}
 */
export function reduceErrors(errors) {
  const list = Array.isArray(errors) ? errors : [errors];
  return list
    .filter((error) => error !== undefined && error !== null)
    .flatMap((error) => messagesOf(error))
    .filter((message) => typeof message === 'string' && message.length > 0);
}

function messagesOf(error) {
  if (typeof error === 'string') return [error];
  const body = error.body;
  if (Array.isArray(body)) return body.map((entry) => entry.message);
  if (body && typeof body === 'object') {
    const pageErrors = (body.pageErrors ?? []).map((entry) => entry.message);
    const fieldErrors = Object.values(body.fieldErrors ?? {})
      .flat()
      .map((entry) => entry.message);
    const own = typeof body.message === 'string' ? [body.message] : [];
    const all = [...own, ...pageErrors, ...fieldErrors];
    if (all.length > 0) return all;
  }
  if (typeof error.message === 'string') return [error.message];
  return [error.statusText].filter(Boolean);
}
