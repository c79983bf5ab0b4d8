import { describe, expect, it } from 'vitest';
import { systemPrompt } from '../../../src/adapters/llm/prompt.js';
import { loadPackageRules } from '../../../src/adapters/metadata/package-metadata.js';

describe('systemPrompt: who is a competitor', () => {
  it("tells the model the vendors customers use alongside us, from the org's setting", async () => {
    const rules = await loadPackageRules();
    const prompt = systemPrompt({
      rules: { ...rules, nonCompetitors: ['Skyharbor Cloud', 'Passkeyly'] },
      currentStage: null,
      meetingDate: '2026-03-09',
    });
    expect(prompt).toContain(
      'never a vendor the customer uses alongside us (such as Skyharbor Cloud, Passkeyly;',
    );
    expect(prompt).toContain('lost to (they chose it over us)');
  });
});
