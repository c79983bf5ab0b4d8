import { describe, expect, it } from 'vitest';
import { sameClientState, transcriptOf } from '../../../src/adapters/recorders/graph-notifications.js';

describe("a Graph notification's transcript resource", () => {
  it('reads the OData form Graph sends and the path form, as a REST path', () => {
    expect(
      transcriptOf(
        "communications/onlineMeetings('MSo1N2Y5ZGFjYy03MWJm==')/transcripts('MSMjMCMjZDAwYWU3NjU=')",
      ),
    ).toEqual({
      transcriptPath:
        'communications/onlineMeetings/MSo1N2Y5ZGFjYy03MWJm%3D%3D/transcripts/MSMjMCMjZDAwYWU3NjU%3D',
      meetingId: 'MSo1N2Y5ZGFjYy03MWJm==',
      transcriptId: 'MSMjMCMjZDAwYWU3NjU=',
    });
    expect(transcriptOf('users/u-1/onlineMeetings/m-1/transcripts/t-1')?.transcriptPath).toBe(
      'users/u-1/onlineMeetings/m-1/transcripts/t-1',
    );
  });

  it('refuses what is not a transcript, or would lead the request elsewhere', () => {
    for (const resource of [
      "communications/onlineMeetings('m')/recordings('r')",
      "communications/onlineMeetings('m')/transcripts('..')/../../users",
      "me/onlineMeetings('m')/transcripts('t')",
      "communications/onlineMeetings('m?x=1')/transcripts('t')",
      'https://evil.example/onlineMeetings/m/transcripts/t',
    ]) {
      expect(transcriptOf(resource), resource).toBeNull();
    }
  });

  it('compares clientState exactly', () => {
    expect(sameClientState('abc', 'abc')).toBe(true);
    expect(sameClientState('abc', 'abd')).toBe(false);
    expect(sameClientState('abc', undefined)).toBe(false);
  });
});
