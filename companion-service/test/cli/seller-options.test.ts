import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runExtract } from '../../src/cli/extract-command.js';
import { UsageError } from '../../src/cli/options.js';

/**
 * `scribe extract --seller-domains a.com,b.com --seller "Person A,Person B"`: the people on our side
 * for one run, which reads no org. Without them a rep reads like anyone else on the call.
 */
let dir: string;
let input: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'scribe-seller-options-'));
  input = path.join(dir, 'call.eml');
  await writeFile(
    input,
    [
      'From: Colm Ashby <colm.ashby@brightwell-analytics.com>',
      'To: Wen Li <wen.li@harrowgate-foods.co.uk>',
      'Cc: Rosa Mendel <rosa@brightwell-analytics.com>',
      'Date: Mon, 9 Mar 2026 11:20:00 +0000',
      'Subject: Pilot scope',
      '',
      'Hi Wen,',
      '',
      'Rosa Mendel joins our next call to walk your IT team through the connector.',
      'Your CFO, Ade Okonjo, asked for the pilot cost in writing; it is attached.',
      '',
      'Regards,',
      'Colm Ashby',
    ].join('\n'),
  );
});
afterAll(async () => rm(dir, { recursive: true, force: true }));

async function sides(...args: string[]): Promise<Record<string, string>> {
  let out = '';
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      out += chunk.toString();
      done();
    },
  });
  expect(await runExtract(['--input', input, '--meeting-date', '2026-03-09', ...args], sink)).toBe(0);
  const insights = JSON.parse(out) as { stakeholders: { name: string; affiliation: string }[] };
  return Object.fromEntries(insights.stakeholders.map((s) => [s.name, s.affiliation]));
}

describe('scribe extract --seller-domains / --seller', () => {
  it('puts everyone writing from a seller domain on our side', async () => {
    const found = await sides('--seller-domains', 'brightwell-analytics.com,other-unit.example.org');
    expect(found).toMatchObject({ 'Colm Ashby': 'seller', 'Rosa Mendel': 'seller', 'Wen Li': 'customer' });
    expect(found['Ade Okonjo']).toBe('customer');
  });

  it('puts the named people on our side', async () => {
    const found = await sides('--seller', 'Colm Ashby, Rosa Mendel');
    expect(found).toMatchObject({ 'Colm Ashby': 'seller', 'Rosa Mendel': 'seller', 'Wen Li': 'customer' });
  });

  it.each([
    [['--seller-domains', 'not a domain'], /--seller-domains: "not a domain" is not a domain/],
    [['--seller-domains', ' , '], /--seller-domains is empty/],
    [['--seller', '123, 456'], /--seller: "123" is not a name/],
  ])('refuses %j with a message naming the option', async (args, message) => {
    await expect(runExtract(['--input', input, ...args], new Writable())).rejects.toThrow(UsageError);
    await expect(runExtract(['--input', input, ...args], new Writable())).rejects.toThrow(message);
  });
});
