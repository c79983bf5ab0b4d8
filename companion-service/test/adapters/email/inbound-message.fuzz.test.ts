import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MalformedMessage, readInboundMessage } from '../../../src/adapters/email/inbound-message.js';
import { email, invitation } from '../../support/mail.js';

/**
 * The inbound message reader against generated mail: whatever arrives, it answers with what the
 * intake needs (the sender, the text, attachments by name, invitations) or refuses the message as
 * MalformedMessage; no other error, which would answer SMTP 451 forever or HTTP 500.
 */

describe('readInboundMessage', () => {
  it('keeps the sender and the body of any well-formed message, and lists attachments without their bytes', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.stringMatching(/^[a-z][a-z0-9.]{0,20}$/),
        fc.array(fc.stringMatching(/^[A-Za-z0-9 ,.?!€$-]{1,60}$/), { minLength: 1, maxLength: 8 }),
        fc.option(fc.integer({ min: 1, max: 30_000 }), { nil: undefined }),
        async (local, lines, attachmentBytes) => {
          const body = lines.map((l) => l.trim() || 'x').join('\r\n');
          const raw = email({
            from: `${local}@pipeline-scribe.local`,
            body,
            attachment: attachmentBytes ? { filename: 'deck.pdf', bytes: attachmentBytes } : undefined,
          });
          const read = await readInboundMessage(Buffer.from(raw));
          expect(read.from).toEqual([`${local}@pipeline-scribe.local`]);
          for (const line of lines) expect(read.text).toContain(line.trim() || 'x');
          expect(read.attachments).toEqual(
            attachmentBytes
              ? [{ filename: 'deck.pdf', contentType: 'application/pdf', bytes: attachmentBytes }]
              : [],
          );
          expect(read.text.length).toBeLessThan(raw.length + 200);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('refuses what is not a message as malformed, and throws nothing else', async () => {
    const valid = email({ calendar: invitation(), attachment: { filename: 'a.pdf', bytes: 300 } });
    const mutated = fc.oneof(
      fc.string({ maxLength: 3000 }),
      fc.uint8Array({ maxLength: 3000 }).map((bytes) => Buffer.from(bytes).toString('latin1')),
      fc.nat(valid.length).map((n) => valid.slice(0, n)),
      fc
        .tuple(fc.nat(valid.length), fc.nat(300), fc.string({ maxLength: 120 }))
        .map(([at, cut, noise]) => valid.slice(0, at) + noise + valid.slice(at + cut)),
    );
    await fc.assert(
      fc.asyncProperty(mutated, async (text) => {
        try {
          const read = await readInboundMessage(Buffer.from(text, 'latin1'));
          expect(Array.isArray(read.from)).toBe(true);
          expect(typeof read.text).toBe('string');
          for (const a of read.attachments) expect(a.bytes).toBeGreaterThanOrEqual(0);
        } catch (error) {
          expect(error).toBeInstanceOf(MalformedMessage);
          expect((error as Error).message).toMatch(/^the (body|message)/);
        }
      }),
      { numRuns: 800 },
    );
  });

  it('reads a message cut off at an empty Content-Type header, listing the cut part as opaque bytes', async () => {
    // The shape the fuzz run above once found: mailparser leaves such a part's type undefined.
    const valid = email({ calendar: invitation(), attachment: { filename: 'a.pdf', bytes: 300 } });
    const at = valid.lastIndexOf('Content-Type:') + 'Content-Type:'.length;
    const read = await readInboundMessage(Buffer.from(valid.slice(0, at), 'latin1'));
    expect(read.attachments.map((a) => a.filename)).toContain('a.pdf');
    expect(read.attachments.every((a) => typeof a.contentType === 'string')).toBe(true);
  });

  it('finds an invitation sent as a text/calendar part', async () => {
    const read = await readInboundMessage(Buffer.from(email({ calendar: invitation({ uid: 'u-1' }) })));
    expect(read.calendars).toHaveLength(1);
    expect(read.calendars[0]).toContain('UID:u-1');
    expect(read.attachments).toEqual([]);
  });
});
