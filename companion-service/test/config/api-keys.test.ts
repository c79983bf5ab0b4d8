import { describe, expect, it } from 'vitest';
import { loadServiceConfig } from '../../src/config/service-config.js';

/** SCRIBE_API_KEY and SCRIBE_API_KEYS: the keys callers may present, several while one is rotated. */

const CURRENT = 'current-key-0123456789';
const PREVIOUS = 'previous-key-0123456789';

describe('the API keys', () => {
  it('are none by default', () => {
    expect(loadServiceConfig({})).toMatchObject({ apiKey: null, apiKeys: [] });
  });

  it('take SCRIBE_API_KEY and the comma-separated SCRIBE_API_KEYS together, each once', () => {
    expect(loadServiceConfig({ SCRIBE_API_KEY: CURRENT })).toMatchObject({
      apiKey: CURRENT,
      apiKeys: [CURRENT],
    });
    expect(loadServiceConfig({ SCRIBE_API_KEYS: ` ${CURRENT} , ${PREVIOUS} ` })).toMatchObject({
      apiKey: CURRENT,
      apiKeys: [CURRENT, PREVIOUS],
    });
    expect(
      loadServiceConfig({ SCRIBE_API_KEY: CURRENT, SCRIBE_API_KEYS: `${PREVIOUS},${CURRENT}` }).apiKeys,
    ).toEqual([CURRENT, PREVIOUS]);
  });

  it('refuse a short key in the list without echoing any of them', () => {
    let message = '';
    try {
      loadServiceConfig({ SCRIBE_API_KEYS: `${CURRENT},short` });
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toMatch(/^SCRIBE_API_KEYS is not valid: list the keys accepted while rotating/);
    expect(message).not.toContain(CURRENT);
    expect(message).not.toContain('short,');
  });
});
