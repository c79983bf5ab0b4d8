import { describe, expect, it } from 'vitest';
import { PiiMask } from '../../../src/domain/privacy/pii-mask.js';

describe('PiiMask', () => {
  it('replaces email addresses and phone numbers with numbered placeholders', () => {
    const text =
      'Write to dana.whitfield@acme-corp.com, cc j.o+deals@mail.acme.co.uk, or call +1 (415) 555-0134 or 020 7946 0958.';
    const mask = new PiiMask(text);
    expect(mask.mask(text)).toBe('Write to [EMAIL_1], cc [EMAIL_2], or call [PHONE_1] or [PHONE_2].');
  });

  it.each([
    '+14155550134',
    '415-555-0134',
    '415.555.0134',
    '(415) 555 0134',
    '+44 20 7946 0958',
    '+49 30 901820',
  ])('masks the phone number %s', (phone) => {
    const text = `Call me on ${phone} tomorrow.`;
    expect(new PiiMask(text).mask(text)).toBe('Call me on [PHONE_1] tomorrow.');
  });

  it.each([
    'Our budget is $1,200,000 for the year.',
    'The budget is 1 200 000 EUR.',
    'We sign on 2025-03-14 or by 3/27.',
    'We have 2500 reps and 250 seats in 12 offices.',
    'Revenue grew 12.5% to 40.2M last year.',
    'Version 10.4.2 shipped at 10:30.',
    'Order number PO-2024-0042 is approved.',
  ])('leaves numbers that are not phone numbers alone: %s', (text) => {
    expect(new PiiMask(text).mask(text)).toBe(text);
  });

  it('gives the same address the same placeholder in every chunk of a conversation', () => {
    const mask = new PiiMask('a@example.com b@example.com');
    expect(mask.mask('From a@example.com')).toBe('From [EMAIL_1]');
    expect(mask.mask('To b@example.com and a@example.com')).toBe('To [EMAIL_2] and [EMAIL_1]');
  });

  it('restores the originals in every string of an answer, quotes included', () => {
    const text = 'Send it to dana@acme.com or call 415-555-0134.';
    const mask = new PiiMask(text);
    mask.mask(text);
    const answer = {
      summary: 'Dana ([EMAIL_1]) wants the proposal.',
      items: [{ text: 'Call [PHONE_1]', evidence: { quote: 'Send it to [EMAIL_1] or call [PHONE_1].' } }],
      amount: 5,
      nothing: null,
    };
    expect(mask.restore(answer)).toEqual({
      summary: 'Dana (dana@acme.com) wants the proposal.',
      items: [
        { text: 'Call 415-555-0134', evidence: { quote: 'Send it to dana@acme.com or call 415-555-0134.' } },
      ],
      amount: 5,
      nothing: null,
    });
  });

  it('leaves placeholders it did not make as they are', () => {
    const text = 'The template says [EMAIL_1]; write to ops@acme.com instead.';
    const mask = new PiiMask(text);
    const masked = mask.mask(text);
    expect(masked).toBe('The template says [EMAIL_1]; write to [EMAIL_2] instead.');
    expect(mask.restore(masked)).toBe(text);
    expect(mask.restore('[PHONE_9]')).toBe('[PHONE_9]');
  });
});
