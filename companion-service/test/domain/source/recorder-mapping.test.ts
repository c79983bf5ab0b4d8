import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  atPointer,
  readRecording,
  RecordingMappingError,
} from '../../../src/domain/source/recorder-mapping.js';
import { loadRecorderMappings } from '../../../src/adapters/recorders/mapping-files.js';

const FIXTURES = path.resolve(import.meta.dirname, '../../fixtures');

describe('recorder mappings', () => {
  it('ship Fathom, Fireflies and Read AI checked against their public docs, and the service’s own shape', async () => {
    const mappings = await loadRecorderMappings();
    expect([...mappings.keys()].sort()).toEqual(['fathom', 'fireflies', 'read-ai', 'scribe']);
    expect(mappings.get('read-ai')).toMatchObject({
      verifiedFromDocs: true,
      documentation: expect.stringContaining('support.read.ai'),
    });
    expect(mappings.get('fathom')).toMatchObject({
      verifiedFromDocs: true,
      documentation: expect.stringContaining('fathom.ai'),
    });
    expect(mappings.get('fireflies')).toMatchObject({ verifiedFromDocs: true });
  });

  it("read Fathom's new-meeting payload: id, title, start, participants and the transcript by speaker", async () => {
    const fathom = (await loadRecorderMappings()).get('fathom')!;
    const payload = JSON.parse(
      await readFile(path.join(FIXTURES, 'recorders/fathom-new-meeting.json'), 'utf8'),
    );
    const recording = readRecording(fathom, payload);
    expect(recording).toMatchObject({
      externalId: 'https://fathom.video/calls/771234',
      title: 'Litware security review',
      startedAt: '2026-11-30T16:01:12.000Z',
      consentRecorded: null,
    });
    expect(recording.participants[0]).toMatchObject({
      name: 'Dana Whitfield',
      email: 'dana.whitfield@litware.com',
    });
    expect(recording.transcript.split('\n')[0]).toBe(
      'Dana Whitfield: Our CISO signed off on the security review last Friday, so that item is closed.',
    );
  });

  it("read Fireflies' transcript with its epoch-millisecond date", async () => {
    const fireflies = (await loadRecorderMappings()).get('fireflies')!;
    const recording = readRecording(fireflies, {
      data: {
        transcript: {
          id: 'ff-1',
          title: 'Renewal',
          date: 1_764_518_400_000,
          meeting_attendees: [{ displayName: 'Lee', email: 'lee@contoso.com', phoneNumber: '+14155550100' }],
          sentences: [{ speaker_name: 'Lee', text: 'Budget is approved.' }],
        },
      },
    });
    expect(recording).toMatchObject({
      externalId: 'ff-1',
      startedAt: '2025-11-30T16:00:00.000Z',
      transcript: 'Lee: Budget is approved.',
    });
    expect(recording.participants[0]!.phone).toBe('+14155550100');
  });

  it("read Read AI's meeting_end webhook: session, microsecond start, participants and speaker blocks", async () => {
    const readAi = (await loadRecorderMappings()).get('read-ai')!;
    const payload = JSON.parse(
      await readFile(path.join(FIXTURES, 'recorders/read-ai-meeting-end.json'), 'utf8'),
    );
    const recording = readRecording(readAi, payload);
    expect(recording).toMatchObject({
      tool: 'read-ai',
      externalId: '01JKAWSRSF01XPM5CYNX97WS9J',
      title: 'Fabrikam renewal: pricing and security review',
      startedAt: '2026-11-24T15:02:10.318Z',
      consentRecorded: null,
    });
    expect(recording.participants.map((p) => [p.name, p.email])).toEqual([
      ['Priya Raman', 'priya.raman@fabrikam.com'],
      ['Sam Ortiz', 'sam.ortiz@pipelinescribe.example'],
      // Read AI's documented example sends "None" for someone without an address.
      ['Dial-in guest', null],
    ]);
    expect(recording.transcript).toBe(
      'Priya Raman: Procurement wants a three-year price before the end of the quarter.\n' +
        'Sam Ortiz: Understood, I will send a three-year quote this week.',
    );
  });

  it('name the missing or mistyped field of a payload', async () => {
    const fathom = (await loadRecorderMappings()).get('fathom')!;
    expect(() => readRecording(fathom, { url: 'u', transcript: 'a string' })).toThrow(
      new RecordingMappingError('transcript (/transcript) is missing or not a list of segments'),
    );
    expect(() => readRecording(fathom, { transcript: [] })).toThrow('id (/url) is missing');
    expect(() =>
      readRecording(fathom, { url: 'u', recording_start_time: 5, transcript: [{ text: 'x' }] }),
    ).toThrow('startedAt (/recording_start_time) is not a iso time');
  });

  it('fail the start with the file and the field when a mapping is broken', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'mappings-'));
    await writeFile(
      path.join(dir, 'otter.json'),
      JSON.stringify({ tool: 'otter', documentation: null, verifiedFromDocs: false, id: 'id' }),
    );
    await expect(loadRecorderMappings(dir)).rejects.toThrow(
      /recorder mapping otter\.json: id expected a JSON Pointer/,
    );
    await writeFile(
      path.join(dir, 'otter.json'),
      JSON.stringify({
        tool: 'chorus',
        documentation: null,
        verifiedFromDocs: false,
        id: '/id',
        transcript: { kind: 'text', path: '/t' },
      }),
    );
    await expect(loadRecorderMappings(dir)).rejects.toThrow('name the file chorus.json');
  });

  it('follow JSON Pointers with escapes, and never into prototypes', () => {
    const doc = { 'a/b': { '~c': [10, 20] } };
    expect(atPointer(doc, '/a~1b/~0c/1')).toBe(20);
    expect(atPointer(doc, '/constructor')).toBeUndefined();
    expect(atPointer(doc, '/a~1b/~0c/01')).toBeUndefined();
  });
});
