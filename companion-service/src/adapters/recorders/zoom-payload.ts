import { z } from 'zod';

/**
 * The Zoom webhook bodies the service reads, in Zoom's own shape:
 * - `endpoint.url_validation`, sent when the endpoint is saved and every 72 hours after, whose
 *   `payload.plainToken` must come back with its HMAC as `encryptedToken`
 *   (https://developers.zoom.us/docs/api/webhooks/#validate-your-webhook-endpoint);
 * - `recording.transcript_completed`, whose `payload.object` is the cloud recording with its
 *   `recording_files` (the TRANSCRIPT one, a WebVTT file, has the `download_url`), and whose top-level
 *   `download_token` authorises the download for 24 hours
 *   (https://developers.zoom.us/docs/api/meetings/events/#tag/recording/POSTrecording.transcript_completed,
 *   https://developers.zoom.us/blog/meeting-api-querying-tips-part4).
 * Unknown fields are kept out: only what the worker needs is stored.
 */

export const ZOOM_TRANSCRIPT_EVENT = 'recording.transcript_completed';
export const ZOOM_VALIDATION_EVENT = 'endpoint.url_validation';

export const ZoomEnvelopeSchema = z.object({ event: z.string().min(1).max(100) }).loose();

export const ZoomValidationSchema = z.object({
  event: z.literal(ZOOM_VALIDATION_EVENT),
  payload: z.object({ plainToken: z.string().min(1).max(500) }),
});

const RecordingFileSchema = z
  .object({
    id: z.string().min(1).max(200).optional(),
    file_type: z.string().max(50),
    file_extension: z.string().max(20).optional(),
    download_url: z
      .url({ protocol: /^https?$/ })
      .max(2000)
      .optional(),
    recording_start: z.string().max(40).optional(),
    recording_end: z.string().max(40).optional(),
    status: z.string().max(40).optional(),
  })
  .loose();

export const ZoomTranscriptCompletedSchema = z.object({
  event: z.literal(ZOOM_TRANSCRIPT_EVENT),
  event_ts: z.number().int().nonnegative(),
  payload: z.object({
    account_id: z.string().min(1).max(200),
    object: z
      .object({
        uuid: z.string().min(1).max(200),
        id: z.union([z.number().int(), z.string().max(50)]),
        host_email: z.email().max(320).optional(),
        topic: z.string().max(300).optional(),
        start_time: z.iso.datetime({ offset: true }).optional(),
        duration: z.number().int().nonnegative().optional(),
        recording_files: z.array(RecordingFileSchema).min(1).max(50),
      })
      .loose(),
  }),
  download_token: z.string().min(1).max(4000),
});
export type ZoomTranscriptCompleted = z.infer<typeof ZoomTranscriptCompletedSchema>;

/**
 * Set on a held meeting when an admin releases it (adapters/postgres/held-recordings.ts): processed
 * from then on without asking the consent rules again.
 */
export const ReleasedConsentSchema = z
  .object({ action: z.literal('process'), releasedBy: z.string().optional() })
  .loose();

/** What a queued Zoom job holds: the transcript's address and token, and the meeting's facts. */
export const ZoomJobSchema = z.object({
  meetingUuid: z.string().min(1),
  transcriptFileId: z.string().min(1),
  downloadUrl: z.url(),
  downloadToken: z.string().min(1),
  topic: z.string().optional(),
  hostEmail: z.string().optional(),
  startTime: z.string().optional(),
  consent: ReleasedConsentSchema.optional(),
});
export type ZoomJob = z.infer<typeof ZoomJobSchema>;

/** The transcript file of a completed recording, or why there is none to fetch. */
export function zoomJob(event: ZoomTranscriptCompleted): { job: ZoomJob } | { error: string } {
  const meeting = event.payload.object;
  const file = meeting.recording_files.find((f) => f.file_type.toUpperCase() === 'TRANSCRIPT');
  if (!file) {
    return { error: 'payload.object.recording_files has no file_type "TRANSCRIPT" file to download' };
  }
  if (!file.download_url) {
    return { error: 'payload.object.recording_files[TRANSCRIPT].download_url is missing' };
  }
  return {
    job: {
      meetingUuid: meeting.uuid,
      transcriptFileId: file.id ?? meeting.uuid,
      downloadUrl: file.download_url,
      downloadToken: event.download_token,
      topic: meeting.topic,
      hostEmail: meeting.host_email,
      startTime: meeting.start_time,
    },
  };
}
