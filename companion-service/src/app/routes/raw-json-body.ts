import type { FastifyInstance } from 'fastify';

/**
 * For routes whose sender signs the bytes (Zoom, Microsoft Graph's clientState aside, the recorders):
 * keep the body exactly as received in `request.rawBody`, parse nothing before the check, and refuse
 * any other content type with the one it should be.
 */
export function keepRawJsonBody(app: FastifyInstance, bodyLimit: number): void {
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('application/json', { parseAs: 'buffer', bodyLimit }, (request, body, done) => {
    request.rawBody = body as Buffer;
    done(null, body);
  });
  app.addContentTypeParser('*', (_request, _payload, done) => {
    done(
      Object.assign(new Error('send the body as JSON (Content-Type: application/json)'), {
        statusCode: 415,
      }),
    );
  });
}

/** The body as JSON, or what is wrong with it. */
export function parseRawJson(rawBody: Buffer | undefined): { value: unknown } | { error: string } {
  if (!rawBody || rawBody.length === 0) return { error: 'body: the body is empty' };
  try {
    return { value: JSON.parse(rawBody.toString('utf8')) as unknown };
  } catch (error) {
    return { error: `body: not valid JSON (${(error as Error).message})` };
  }
}

/** The first issue of a zod failure as `path: message`, for a 400 that names the field. */
export function firstIssue(error: {
  issues: readonly { path: readonly PropertyKey[]; message: string }[];
}): string {
  const issue = error.issues[0];
  if (!issue) return 'body: not valid';
  return `${issue.path.map(String).join('.') || 'body'}: ${issue.message}`;
}
