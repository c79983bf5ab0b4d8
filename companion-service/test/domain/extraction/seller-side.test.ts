import { describe, expect, it } from 'vitest';
import { personKey, sellerSideOf } from '../../../src/domain/extraction/seller-side.js';

const publicMail = (d: string) => ['gmail.com', 'outlook.com'].includes(d);

describe('sellerSideOf', () => {
  it("takes our people's names and the company domains they write from", () => {
    const side = sellerSideOf(
      [
        { name: 'Priya Natarajan', email: 'priya.n@quillmetrics.com' },
        { name: 'Tomás Ferreira', email: 'tomas@Quillmetrics.com' },
        { name: 'Odile Marchetti', email: 'odile@eu.quillmetrics.com' },
      ],
      { domains: [] },
      publicMail,
    );
    expect(side.people).toEqual(['Priya Natarajan', 'Tomás Ferreira', 'Odile Marchetti']);
    expect(side.domains.sort()).toEqual(['eu.quillmetrics.com', 'quillmetrics.com']);
  });

  it('never makes a public mailbox or a documentation domain ours', () => {
    const side = sellerSideOf(
      [
        { name: 'Grant Obi', email: 'grant.obi@gmail.com' },
        { name: 'Api Integration', email: 'integration@example.com' },
        { name: 'Sandbox Bot', email: 'bot@build.test' },
      ],
      { domains: ['setting-domain.io'] },
      publicMail,
    );
    expect(side.domains).toEqual(['setting-domain.io']);
  });

  it('keeps configured domains and names beside the users, each once', () => {
    const side = sellerSideOf(
      [{ name: 'Lena  Brandt', email: 'lena@brandtworks.de' }],
      { domains: ['Brandtworks.de', 'partner-co.com'], people: ['lena brandt', 'Ravi Menon'] },
      publicMail,
    );
    expect(side.domains.sort()).toEqual(['brandtworks.de', 'partner-co.com']);
    expect(side.people).toEqual(['lena brandt', 'Ravi Menon']);
  });

  it('ignores one-word user names, which are words before they are people', () => {
    expect(sellerSideOf([{ name: 'Automation', email: null }], { domains: [] }, publicMail).people).toEqual(
      [],
    );
  });
});

describe('personKey', () => {
  it('reads a name the same whatever its case, accents and spacing', () => {
    expect(personKey('José  Álvarez-Ruiz')).toBe(personKey('jose alvarez ruiz'));
  });
});
