import { describe, expect, it } from 'vitest';
import { DEFAULT_PACKAGE_DIR, readMetadataRecords } from '../../../src/adapters/metadata/package-metadata.js';
import { meetingNotesWaitFromRecords } from '../../../src/adapters/metadata/scribe-settings.js';

const withWait = (value: string | number | null | undefined) => [
  {
    type: 'Scribe_Setting',
    developerName: 'Default',
    file: 'Scribe_Setting.Default.md-meta.xml',
    values: (value === undefined ? {} : { Meeting_Notes_Wait_Hours__c: value }) as Record<
      string,
      string | number | null
    >,
  },
];

describe('the wait before a meeting’s notes are asked for', () => {
  it('is the 4 hours the Default record ships', async () => {
    expect(meetingNotesWaitFromRecords(await readMetadataRecords(DEFAULT_PACKAGE_DIR))).toEqual({
      waitHours: 4,
      problem: null,
    });
  });

  it('left empty turns the asks off, without a problem to report', () => {
    for (const empty of [null, '', undefined])
      expect(meetingNotesWaitFromRecords(withWait(empty))).toEqual({ waitHours: null, problem: null });
    expect(meetingNotesWaitFromRecords([])).toEqual({ waitHours: null, problem: null });
  });

  it('fails closed to no asks when the value cannot be used, naming the field and the value', () => {
    for (const bad of [0, -2, 1.5, 'soon', 10_000]) {
      const { waitHours, problem } = meetingNotesWaitFromRecords(withWait(bad));
      expect(waitHours).toBeNull();
      expect(problem).toMatch(/Meeting_Notes_Wait_Hours__c has /);
    }
    expect(meetingNotesWaitFromRecords(withWait('12'))).toEqual({ waitHours: 12, problem: null });
  });
});
