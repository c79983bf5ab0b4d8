import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ConfigError, httpUrl, port, readSection, wholeNumber, type Fixes } from '../../src/config/env.js';

/** The one way every settings section reads the environment. */

class ExampleConfigError extends ConfigError {}

const Schema = z.object({
  EXAMPLE_URL: httpUrl.optional(),
  EXAMPLE_PORT: port.default(8080),
  EXAMPLE_RETRIES: wholeNumber(1, 5).default(3),
  EXAMPLE_MODE: z.enum(['on', 'off']).default('on'),
  EXAMPLE_TOKEN: z.string().min(16).optional(),
});

const FIXES: Fixes<typeof Schema> = {
  EXAMPLE_URL: 'use an http or https URL',
  EXAMPLE_PORT: 'use a port number from 0 to 65535',
  EXAMPLE_RETRIES: 'use a whole number from 1 to 5',
  EXAMPLE_MODE: 'use on or off',
  EXAMPLE_TOKEN: 'use a token of at least 16 characters',
};

const read = (env: Record<string, string | undefined>) =>
  readSection(env, Schema, FIXES, { error: ExampleConfigError, secret: ['EXAMPLE_TOKEN'] });

function refusal(run: () => unknown): Error {
  try {
    run();
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected a refusal');
}

describe('readSection', () => {
  it('applies the defaults, treating empty and blank variables as unset', () => {
    expect(read({})).toEqual({ EXAMPLE_PORT: 8080, EXAMPLE_RETRIES: 3, EXAMPLE_MODE: 'on' });
    expect(read({ EXAMPLE_PORT: '', EXAMPLE_MODE: '  ', EXAMPLE_URL: undefined })).toEqual({
      EXAMPLE_PORT: 8080,
      EXAMPLE_RETRIES: 3,
      EXAMPLE_MODE: 'on',
    });
  });

  it('reads the values it is given, trimmed and coerced, and ignores variables of other sections', () => {
    expect(
      read({
        EXAMPLE_URL: ' https://example.com/api ',
        EXAMPLE_PORT: '0',
        EXAMPLE_RETRIES: '5',
        EXAMPLE_MODE: 'off',
        EXAMPLE_TOKEN: 'a-token-of-sixteen+',
        OTHER_SETTING: 'not ours',
      }),
    ).toEqual({
      EXAMPLE_URL: 'https://example.com/api',
      EXAMPLE_PORT: 0,
      EXAMPLE_RETRIES: 5,
      EXAMPLE_MODE: 'off',
      EXAMPLE_TOKEN: 'a-token-of-sixteen+',
    });
  });

  it("reports every refused variable together, each with its value and fix, in the section's error", () => {
    const error = refusal(() =>
      read({ EXAMPLE_PORT: 'eighty', EXAMPLE_MODE: 'maybe', EXAMPLE_URL: 'ftp://x' }),
    );
    expect(error).toBeInstanceOf(ExampleConfigError);
    expect(error).toBeInstanceOf(ConfigError);
    expect(error.name).toBe('ExampleConfigError');
    expect(error.message.split('; ').sort()).toEqual(
      [
        'EXAMPLE_URL is not valid ("ftp://x"): use an http or https URL',
        'EXAMPLE_PORT is not valid ("eighty"): use a port number from 0 to 65535',
        'EXAMPLE_MODE is not valid ("maybe"): use on or off',
      ].sort(),
    );
  });

  it('names a variable once, even when its value breaks several checks', () => {
    const error = refusal(() => read({ EXAMPLE_RETRIES: '-0.5' }));
    expect(error.message).toBe('EXAMPLE_RETRIES is not valid ("-0.5"): use a whole number from 1 to 5');
  });

  it('never echoes a secret, only its name and fix', () => {
    const error = refusal(() => read({ EXAMPLE_TOKEN: 'short-secret', EXAMPLE_MODE: 'maybe' }));
    expect(error.message).toContain('EXAMPLE_TOKEN is not valid: use a token of at least 16 characters');
    expect(error.message).toContain('EXAMPLE_MODE is not valid ("maybe")');
    expect(error.message).not.toContain('short-secret');
  });

  it('says a required variable is not set, and lets a section word its own problems', () => {
    const Required = z.object({ EXAMPLE_KEY: z.string().min(1), EXAMPLE_MODE: z.enum(['on', 'off']) });
    const fixes: Fixes<typeof Required> = {
      EXAMPLE_KEY: 'export EXAMPLE_KEY=<key>',
      EXAMPLE_MODE: 'use on or off',
    };
    expect(refusal(() => readSection({}, Required, fixes, { error: ConfigError })).message).toBe(
      'EXAMPLE_KEY is not set: export EXAMPLE_KEY=<key>; EXAMPLE_MODE is not set: use on or off',
    );
    const worded = refusal(() =>
      readSection({ EXAMPLE_MODE: 'maybe' }, Required, fixes, {
        error: ConfigError,
        secret: ['EXAMPLE_KEY'],
        explain: ({ name, shown, set, fix }) =>
          `${name} (${set ? `set, ${shown ?? 'hidden'}` : 'unset'}) → ${fix}`,
      }),
    );
    expect(worded.message).toBe(
      'EXAMPLE_KEY (unset) → export EXAMPLE_KEY=<key>; EXAMPLE_MODE (set, maybe) → use on or off',
    );
  });

  it('refuses every unknown variable under a prefix the section owns, naming the closest setting', () => {
    const owned = (env: Record<string, string>) =>
      readSection(env, Schema, FIXES, {
        error: ExampleConfigError,
        owns: ['EXAMPLE_'],
        othersUse: new Set(['EXAMPLE_OF_ANOTHER_TOOL']),
      });
    const error = refusal(() => owned({ EXAMPLE_PROT: '80', EXAMPLE_COLOUR: 'blue', EXAMPLE_MODE: 'maybe' }));
    expect(error).toBeInstanceOf(ExampleConfigError);
    expect(error.message).toBe(
      [
        'EXAMPLE_MODE is not valid ("maybe"): use on or off',
        'EXAMPLE_PROT is not a setting the service knows: did you mean EXAMPLE_PORT? Rename or unset it',
        'EXAMPLE_COLOUR is not a setting the service knows: did you mean EXAMPLE_URL? Rename or unset it',
      ].join('; '),
    );
    // Another tool's variable under the prefix, an empty leftover, and other prefixes pass.
    expect(owned({ EXAMPLE_OF_ANOTHER_TOOL: '1', EXAMPLE_LEFTOVER: ' ', OTHER_SETTING: 'x' })).toMatchObject({
      EXAMPLE_PORT: 8080,
    });
  });

  it('under a shared prefix, refuses a near miss of its own names and leaves other sections alone', () => {
    expect(refusal(() => read({ EXAMPLE_RETRYS: '2' })).message).toBe(
      'EXAMPLE_RETRYS is not a setting the service knows: did you mean EXAMPLE_RETRIES? Rename or unset it',
    );
    expect(refusal(() => read({ EXAMPLE_TOKN: 'x' })).message).toMatch(/did you mean EXAMPLE_TOKEN\?/);
    // Far from every name here: another section's setting under the same prefix.
    expect(read({ EXAMPLE_QUEUE_DEPTH: '5', EXAMPLE_WEBHOOK_SECRET: 'x' })).toMatchObject({
      EXAMPLE_RETRIES: 3,
    });
    // A name another section has read is that section's, however close it is to one of ours.
    const Neighbour = z.object({ EXAMPLE_PORTS: z.string().optional() });
    readSection({}, Neighbour, { EXAMPLE_PORTS: 'a list of ports' }, { error: ConfigError });
    expect(read({ EXAMPLE_PORTS: '1,2' })).toMatchObject({ EXAMPLE_PORT: 8080 });
  });
});
