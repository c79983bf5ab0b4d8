import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { extractConversation, readInput } from '../../src/services/extract-conversation.js';
import { EmbeddedExtractor } from '../../src/domain/extraction/embedded/embedded-extractor.js';
import { loadPackageRules } from '../../src/adapters/metadata/package-metadata.js';
import { detectLanguage } from '../../src/domain/source/language.js';
import { readConversation } from '../../src/domain/source/detect.js';
import { said } from '../support/conversation.js';

const FIXTURES = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../fixtures/formats');
const fixture = (name: string) => readFileSync(path.join(FIXTURES, name), 'utf8');

describe('readInput: a saved MIME message', () => {
  it('decodes quoted-printable, encoded headers and multipart, and reads the plain part as the email', async () => {
    const { conversation: c, inputFormat, warnings } = await readInput(fixture('multipart-signature.eml'));
    expect(inputFormat).toBe('eml');
    expect(warnings).toEqual([]);
    expect(c.format).toBe('email');
    expect(c.subject).toBe('Re: Propuesta revisada y próximos pasos');
    expect(c.meetingDate).toBe('2026-03-12');
    const own = said(c).filter((u) => !u.quoted);
    expect(own.map((u) => u.speaker)).toEqual(['Lucía Moreno', 'Lucía Moreno', 'Lucía Moreno']);
    expect(own[1]!.text).toContain('Nuestro presupuesto aprobado es de 75.000 € para el primer año.');
    // The signature stays the sender's own text (contact details are read from it).
    expect(own[2]!.text).toBe(
      'Saludos,\nLucía Moreno\nDirectora de Compras | Tailspin Toys\n+34 912 345 678',
    );
    // The quoted reply, joined from its soft line breaks, is history; the HTML part is not read twice.
    const history = said(c).filter((u) => u.quoted);
    expect(history.map((u) => u.text)).toEqual([
      'El mar, 10 mar 2026 a las 16:02, Roger Lane (<roger.lane@contoso.com>) escribió:\n> Hola Lucía, adjunto la propuesta revisada de 95.000 €.',
    ]);
    expect(c.text).not.toMatch(/=C3|=E2|Content-Type|<div/);
    expect(c.participants.map((p) => p.email)).toEqual([
      'lucia.moreno@tailspintoys.es',
      'roger.lane@contoso.com',
      'ben.okafor@tailspintoys.es',
    ]);
  });

  it('reads a message that is not MIME, named eml, as the email it is', async () => {
    const read = await readInput(fixture('outlook-reply-chain.txt'), 'eml');
    expect(read.conversation.format).toBe('email');
    expect(read.conversation.participants[0]?.name).toBe('Daniel Okafor');
  });
});

describe('language', () => {
  it.each([
    ['zoom.vtt', 'en'],
    ['gmail-forward.txt', 'en'],
    ['outlook-reply-chain.txt', 'en'],
    ['chinese-notes.txt', 'zh'],
    ['spanish-notes.txt', 'es'],
  ])('reads %s as %s', (name, language) => {
    expect(detectLanguage(readConversation(fixture(name)).conversation)).toBe(language);
  });

  it('reads the language of the message, not of the history it quotes', () => {
    const raw =
      'From: Dana <dana@acme.com>\nTo: sam@contoso.com\nSubject: Re: pricing\n\nWe approved the budget and will sign next week.\n\nEl lun, 9 mar 2026 a las 10:00, Sam <sam@contoso.com> escribió:\n> Hola Dana, ¿pudieron revisar la propuesta que enviamos la semana pasada con el precio final?\n> Quedamos atentos a sus comentarios sobre el contrato y el calendario de implementación.\n';
    expect(detectLanguage(readConversation(raw).conversation)).toBe('en');
  });

  it('reads an unpunctuated, lower-case English voice memo as English (tinyld called this Berber)', () => {
    const memo =
      "okay so Wexford County schools um bad news they've decided not to proceed the board pulled the funding for the whole project so the pilot is done uh they're not going with anyone else it's just dead so I'll put a reminder to reach out in August";
    expect(detectLanguage(readConversation(memo, 'memo').conversation)).toBe('en');
  });

  it('says "und" rather than guess on a few words', () => {
    expect(detectLanguage(readConversation('OK 50k').conversation)).toBe('und');
  });

  it('carries the language on the result of a Spanish .eml, which the embedded extractor reads', async () => {
    const insights = await extractConversation({
      raw: fixture('multipart-signature.eml'),
      today: '2026-03-12',
      rules: await loadPackageRules(),
      extractor: new EmbeddedExtractor(),
    });
    expect(insights.language).toBe('es');
    // Spanish is one of the languages it reads: no warning, and the budget in European notation.
    expect(insights.warnings).toEqual([]);
    expect(insights.budget).toMatchObject({ amount: 75_000, currency: 'EUR' });
    expect(insights.source.format).toBe('email');
  });
});
