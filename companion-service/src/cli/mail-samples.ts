import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Writable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import type { ConversationStatusBody } from '../app/schemas/conversation-status.js';
import type { ConversationResult } from '../domain/conversation-result.js';
import { findMeeting } from '../adapters/postgres/meeting-table.js';
import { formatResult } from './report.js';

/**
 * The email and calendar samples of `npm start`: a rep's .eml posted as a BCC would deliver it
 * (POST /v1/emails), and an Outlook invitation (POST /v1/calendar), each followed until it is in
 * the org, then reported.
 */

export const MAIL_SAMPLES = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../samples/mail');

async function followed(url: string, location: string, auth: Record<string, string>) {
  const deadline = Date.now() + 120_000;
  for (;;) {
    const body = (await (
      await fetch(`${url}${location}`, { headers: auth })
    ).json()) as ConversationStatusBody;
    if (body.status === 'processed' || body.status === 'dead') return body;
    if (Date.now() > deadline) throw new Error(`${location} is still ${body.status} after 2 minutes`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** The sample email reads as sent yesterday, as the other samples read as last week's. */
function asOfYesterday(raw: string, now: Date): string {
  const yesterday = new Date(now.getTime() - 86_400_000).toUTCString().replace('GMT', '+0000');
  return raw.replace(/^Date: .*$/m, `Date: ${yesterday}`);
}

export async function feedMailSamples(
  server: FastifyInstance,
  url: string,
  apiKey: string | null,
  out: Writable,
  dir = MAIL_SAMPLES,
  now = new Date(),
): Promise<ConversationResult[]> {
  const auth: Record<string, string> = apiKey ? { authorization: `Bearer ${apiKey}` } : {};
  const results: ConversationResult[] = [];
  const files = (await readdir(dir).catch(() => [] as string[])).filter((f) => /\.(eml|ics)$/.test(f)).sort();
  for (const file of files) {
    const calendar = file.endsWith('.ics');
    const started = performance.now();
    const response = await fetch(`${url}${calendar ? '/v1/calendar' : '/v1/emails'}`, {
      method: 'POST',
      headers: { 'content-type': calendar ? 'text/calendar' : 'message/rfc822', ...auth },
      body: calendar
        ? await readFile(path.join(dir, file))
        : asOfYesterday(await readFile(path.join(dir, file), 'utf8'), now),
    });
    const body = (await response.json()) as {
      error?: string;
      meetings?: { uid: string; verdict: string }[];
      attachments?: { filename: string }[];
    };
    if (response.status >= 300) {
      out.write(`\n── ${file} → HTTP ${response.status}: ${body.error ?? 'refused'}\n`);
      continue;
    }
    if (calendar) {
      await server.mail.writeMeetings();
      for (const { uid, verdict } of body.meetings ?? []) {
        const meeting = await findMeeting(server.conversations.org, uid);
        const where = meeting?.opportunityId ? `on opportunity ${meeting.opportunityId}` : 'on no deal';
        out.write(
          `\n── ${file} → HTTP ${response.status}, ${Math.round(performance.now() - started)} ms\n` +
            `  invitation "${meeting?.invitation.title}" (${verdict}) → Event ${meeting?.eventId ?? 'not written yet'} ${where}\n`,
        );
      }
      continue;
    }
    const done = await followed(url, response.headers.get('location')!, auth);
    if (!done.result) {
      out.write(`\n── ${file} → could not be processed: ${done.deadLetter?.reason ?? done.error?.message}\n`);
      continue;
    }
    results.push(done.result);
    out.write(formatResult(file, response.status, performance.now() - started, done.result));
    const listed = (body.attachments ?? []).map((a) => a.filename).join(', ');
    if (listed) out.write(`  attachments listed, not read: ${listed}\n`);
  }
  return results;
}
