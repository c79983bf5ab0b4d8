import { describe, expect, it } from 'vitest';
import {
  emailProblem,
  findDuplicateContacts,
  findMalformedContacts,
  jaroWinkler,
  phoneProblem,
} from '../../../src/domain/hygiene/contact-quality.js';
import type { PipelineContact } from '../../../src/domain/pipeline/records.js';

const contact = (
  id: string,
  name: string | null,
  accountId: string | null,
  email: string | null = null,
  phone: string | null = null,
): PipelineContact => ({
  id,
  name,
  accountId,
  email,
  phone,
});

describe('duplicate contacts', () => {
  it('groups contacts that share an email, whatever its case or account', () => {
    const groups = findDuplicateContacts([
      contact('1', 'Jane Doe', 'A', 'Jane.Doe@acme.com'),
      contact('2', 'J. Doe', 'B', 'jane.doe@ACME.com '),
      contact('3', 'Sam Roe', 'A', 'sam@acme.com'),
    ]);
    expect(groups).toHaveLength(1);
    expect(groups[0]!.reason).toBe('same email');
    expect(groups[0]!.contacts.map((c) => c.id)).toEqual(['1', '2']);
  });

  it('matches near-identical names at the same account, including "Last, First" and accents, but not across accounts', () => {
    const groups = findDuplicateContacts([
      contact('1', 'Jon Smith', 'A'),
      contact('2', 'John Smith', 'A'),
      contact('3', 'John Smith', 'B'),
      contact('4', 'Müller, Anna', 'A'),
      contact('5', 'Dr. Anna Muller', 'A'),
      contact('6', 'Jean Smith', 'A'),
      contact('7', 'Chris Lee', 'C'),
      contact('8', 'Christopher Lee', 'C'),
    ]);
    expect(groups.map((g) => g.contacts.map((c) => c.id))).toEqual([
      ['1', '2'],
      ['4', '5'],
      ['7', '8'],
    ]);
    expect(groups[0]!.evidence).toContain('near-identical names (similarity');
  });

  it('compares names only inside blocks, so a large account with a planted duplicate is still found', () => {
    let seed = 7;
    const letters = (n: number) =>
      Array.from({ length: n }, () =>
        String.fromCharCode(97 + ((seed = (seed * 48271) % 2147483647) % 26)),
      ).join('');
    const contacts = Array.from({ length: 5000 }, (_, i) =>
      contact(`c${i}`, `${letters(5)} ${letters(7)}`, 'BIG'),
    );
    const [first, last] = contacts[42]!.name!.split(' ');
    contacts.push(contact('dup', `${last}, ${first!.slice(0, 1)}.`, 'BIG'));
    const groups = findDuplicateContacts(contacts);
    expect(groups.map((g) => g.contacts.map((c) => c.id).sort())).toEqual([['c42', 'dup']]);
  });

  it('scores names the Jaro-Winkler way', () => {
    expect(jaroWinkler('martha', 'marhta')).toBeCloseTo(0.961, 3);
    expect(jaroWinkler('dixon', 'dicksonx')).toBeCloseTo(0.813, 3);
    expect(jaroWinkler('abc', 'xyz')).toBe(0);
  });
});

describe('malformed emails and phone numbers', () => {
  it('says what is wrong with an email', () => {
    expect(emailProblem('jane@acme.com')).toBeNull();
    expect(emailProblem('jane.acme.com')).toBe('no @');
    expect(emailProblem('jane@acme')).toBe('not a valid address');
    expect(emailProblem('jane..doe@acme.com')).toBe('two dots in a row');
    expect(emailProblem('jane doe@acme.com')).toBe('contains a space');
  });

  it('accepts real phone formats and extensions, and rejects letters and impossible lengths', () => {
    for (const ok of [
      '+1 (415) 555-0100',
      '020 7946 0958',
      '415.555.0100 x204',
      '+44 20 7946 0958 ext. 12',
    ]) {
      expect(phoneProblem(ok)).toBeNull();
    }
    expect(phoneProblem('555-CALL-NOW')).toBe('contains letters');
    expect(phoneProblem('12345')).toBe('only 5 digits');
    expect(phoneProblem('0000000000')).toBe('one digit repeated');
    expect(phoneProblem('1-800-555-0100-555-0100-1')).toBe('19 digits, more than any phone number has');
  });

  it('lists each malformed value with the contact, and skips blanks', () => {
    const found = findMalformedContacts([
      contact('1', 'Jane', 'A', 'jane@', '555'),
      contact('2', 'Sam', 'A', null, '  '),
    ]);
    expect(found.map((m) => `${m.contactId}:${m.field}`)).toEqual(['1:email', '1:phone']);
  });
});
