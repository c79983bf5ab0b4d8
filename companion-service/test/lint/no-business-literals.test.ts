import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { scanFolder, scanSource, type LiteralFinding } from './business-literals.js';

/**
 * Every sales judgement lives in the rule catalog (custom metadata in force-app/main/configuration,
 * read by Apex and the service alike), so domain code holds no threshold of its own. This scans
 * companion-service/src/domain for numbers that look like one (business-literals.ts says which) and
 * fails on any not listed below. To fix a finding, move the number into a Scribe_Setting__mdt field
 * (or the custom metadata type it belongs to) and read it through pipelineRulesFromRecords; list it
 * here only when it is not a sales judgement, and say why.
 */

const here = path.dirname(fileURLToPath(import.meta.url));
const DOMAIN = path.resolve(here, '../../src/domain');

/** Numbers that look like judgements and are not: file, the text the scan reports, and why. */
const NOT_JUDGEMENTS: { file: string; text: string; why: string }[] = [
  {
    file: 'extraction/embedded/sides.ts',
    text: 'score >= 2',
    why: 'evidence points for which side of the call a speaker is on: transcript parsing',
  },
  {
    file: 'extraction/embedded/sides.ts',
    text: 'score <= -2',
    why: 'the same evidence points, for the customer side',
  },
  {
    file: 'source/transcript.ts',
    text: 'labelled / sample >= 0.5',
    why: 'whether text is a transcript (half its lines carry a speaker): format detection',
  },
  {
    file: 'forecast/training-set.ts',
    text: 'WINDOW_DAYS = 90',
    why: "the forecast's horizon, a quarter: what the model predicts, not a rule about deals",
  },
  {
    file: 'forecast/quarter-outlook.ts',
    text: 'RECENT_DAYS = 56',
    why: 'how far back the timing bands are measured: a statistical window of the model',
  },
  {
    file: 'forecast/win-model.ts',
    text: 'Math.abs(f.effect) >= 0.005',
    why: 'factors moving the log-odds by less are not worth showing: display precision of the model',
  },
  {
    file: 'forecast/training-set.ts',
    text: 'WINDOW_EVERY_DAYS = 28',
    why: "the grid the quarter's window examples are sampled on: the statistical design of the model",
  },
  {
    file: 'forecast/slip-training.ts',
    text: 'SNAPSHOT_EVERY_DAYS = 14',
    why: 'how often the slip model samples the past pipeline: the statistical design of the model',
  },
  {
    file: 'forecast/slip-training.ts',
    text: 'LOOKBACK_DAYS = 364',
    why: 'how far back the slip model samples, a year: a statistical window of the model',
  },
  {
    file: 'review/pipeline-audit.ts',
    text: 'FAR_AS_OF_DAYS = 30',
    why: 'warns that the as-of date is far past the export: a data-quality check, not a deal rule',
  },
  {
    file: 'writeback/decide-writes.ts',
    text: 'CONTACT_CONFIDENCE = 0.7',
    why: "the extractor's confidence shown on a contact suggestion; no decision compares it",
  },
];

const present = scanFolder(DOMAIN);
const allowed = (f: LiteralFinding) =>
  NOT_JUDGEMENTS.some((a) => a.file === f.file.split(path.sep).join('/') && a.text === f.text);

describe('business thresholds in domain code', () => {
  it('are all in the rule catalog, not literals', () => {
    const found = present
      .filter((f) => !allowed(f))
      .map((f) => `src/domain/${f.file}:${f.line}: ${f.text} (${f.why})`);
    expect(found, 'move these into custom metadata (see the comment above)').toEqual([]);
  });

  it('lists no exception that no longer exists, so the list cannot hide a new literal', () => {
    const stale = NOT_JUDGEMENTS.filter(
      (a) => !present.some((f) => f.file.split(path.sep).join('/') === a.file && f.text === a.text),
    );
    expect(stale).toEqual([]);
  });

  it('finds each threshold planted in a fixture and passes its structural numbers', () => {
    const file = path.join(here, 'fixtures/planted-literals.ts');
    const found = scanSource('planted-literals.ts', readFileSync(file, 'utf8')).map((f) => [f.line, f.text]);
    expect(found).toEqual([
      [11, 'STALE_AFTER_DAYS = 21'],
      [14, 'deal.riskScore >= 65'],
      [16, 'p * q >= 0.75'],
    ]);
  });

  it('would have caught the literals the catalog replaced', () => {
    const before = [
      'export const AT_RISK_SCORE = 50;',
      'const DUE_SOON_DAYS = 2;',
      'export const RECENT_CONVERSATION_DAYS = 90;',
      'const f = (d: { p: number; q: number }) => d.p * d.q >= 0.7;',
      "const g = (probability: number) => (probability >= 0.4 ? 'Best Case' : 'Pipeline');",
    ];
    for (const line of before) expect(scanSource('before.ts', line), line).toHaveLength(1);
  });
});
