import { z } from 'zod';

/** POST /v1/emails and POST /v1/calendar: what was done with the message or the invitation. */

export const EmailAckSchema = z.object({
  id: z.string(),
  status: z.enum(['queued', 'duplicate']),
  attachments: z.array(z.object({ filename: z.string(), contentType: z.string(), bytes: z.number() })),
});

export const CalendarAckSchema = z.object({
  status: z.literal('recorded'),
  meetings: z.array(
    z.object({ uid: z.string(), verdict: z.enum(['create', 'update', 'cancel', 'unchanged', 'stale']) }),
  ),
});

// Without a reason when the body was refused for its size before it was read.
export const MailRefusalSchema = z.object({ error: z.string(), reason: z.string().optional() });
