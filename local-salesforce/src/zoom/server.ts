import { createHmac, randomBytes, randomUUID } from 'node:crypto';
import Fastify from 'fastify';

/**
 * A local Zoom on loopback: it sends the webhooks a Zoom app's event subscription sends, signed as
 * Zoom signs them (`x-zm-signature: v0=HMAC-SHA256(secret, "v0:{x-zm-request-timestamp}:{body}")`),
 * runs the endpoint URL validation challenge and checks the answer as Zoom does, and serves each
 * recording's WebVTT transcript at its download_url only with the event's download_token (Bearer),
 * answering 401 otherwise, as Zoom's download endpoint does.
 * https://developers.zoom.us/docs/api/webhooks/#verify-webhook-events
 * https://developers.zoom.us/docs/api/webhooks/#validate-your-webhook-endpoint
 * https://developers.zoom.us/docs/api/meetings/events/#tag/recording/POSTrecording.transcript_completed
 */

export interface LocalZoomMeeting {
  topic: string;
  hostEmail: string;
  startTime: string;
  durationMinutes: number;
  /** The transcript, as Zoom's TRANSCRIPT file holds it (WebVTT). */
  vtt: string;
}

export interface ZoomDelivery {
  status: number;
  body: unknown;
}

export interface LocalZoom {
  url: string;
  /** Where events are sent (the service's /webhooks/zoom). */
  endpointUrl: string;
  /** Every download request, authorised or not. */
  downloads: { fileId: string; status: number }[];
  /** The `recording.transcript_completed` body Zoom would send for this meeting (and stores its file). */
  transcriptCompleted(meeting: LocalZoomMeeting, ids?: { meetingUuid?: string; fileId?: string }): string;
  /** Posts a body to the endpoint with Zoom's headers; `timestamp` and `secret` override for forgeries. */
  deliver(body: string, options?: { timestamp?: number; secret?: string }): Promise<ZoomDelivery>;
  /** Zoom's URL validation: true when the endpoint answered the challenge correctly. */
  validateEndpoint(): Promise<boolean>;
  close(): Promise<void>;
}

export function zoomSignature(secret: string, timestamp: string, body: string): string {
  return `v0=${createHmac('sha256', secret).update(`v0:${timestamp}:${body}`).digest('hex')}`;
}

export interface LocalZoomOptions {
  secretToken: string;
  /** The app's event notification endpoint URL; may be set later, once the service listens. */
  endpointUrl?: string;
}

export async function startLocalZoom(options: LocalZoomOptions): Promise<LocalZoom> {
  const files = new Map<string, { vtt: string; token: string }>();
  const downloads: LocalZoom['downloads'] = [];
  const server = Fastify({ logger: false });
  server.get<{ Params: { fileId: string } }>('/rec/download/:fileId', async (request, reply) => {
    const file = files.get(request.params.fileId);
    const authorised = file && request.headers.authorization === `Bearer ${file.token}`;
    const status = !file ? 404 : authorised ? 200 : 401;
    downloads.push({ fileId: request.params.fileId, status });
    if (status === 404)
      return reply.code(404).send({ code: 3301, message: 'This recording does not exist.' });
    if (status === 401) return reply.code(401).send({ code: 124, message: 'Invalid access token.' });
    return reply.type('text/vtt').send(file!.vtt);
  });
  const url = await server.listen({ host: '127.0.0.1', port: 0 });

  const deliver: LocalZoom['deliver'] = async (body, o = {}) => {
    const timestamp = String(o.timestamp ?? Date.now());
    const response = await fetch(zoom.endpointUrl, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-zm-request-timestamp': timestamp,
        'x-zm-signature': zoomSignature(o.secret ?? options.secretToken, timestamp, body),
      },
      body,
    });
    const text = await response.text();
    let parsed: unknown = text;
    try {
      parsed = JSON.parse(text);
    } catch {
      // a non-JSON answer is kept as text
    }
    return { status: response.status, body: parsed };
  };

  const zoom: LocalZoom = {
    url,
    endpointUrl: options.endpointUrl ?? '',
    downloads,
    transcriptCompleted(meeting, ids = {}) {
      const meetingUuid = ids.meetingUuid ?? `${randomBytes(16).toString('base64')}`;
      const fileId = ids.fileId ?? randomUUID();
      const token = randomBytes(24).toString('base64url');
      files.set(fileId, { vtt: meeting.vtt, token });
      const end = new Date(Date.parse(meeting.startTime) + meeting.durationMinutes * 60_000).toISOString();
      return JSON.stringify({
        event: 'recording.transcript_completed',
        event_ts: Date.now(),
        payload: {
          account_id: 'local-account',
          object: {
            uuid: meetingUuid,
            id: 85_000_000_000 + files.size,
            account_id: 'local-account',
            host_id: 'local-host',
            host_email: meeting.hostEmail,
            topic: meeting.topic,
            type: 2,
            start_time: meeting.startTime.replace(/\.\d{3}Z$/, 'Z'),
            timezone: 'America/Los_Angeles',
            duration: meeting.durationMinutes,
            total_size: Buffer.byteLength(meeting.vtt),
            recording_count: 1,
            share_url: `${url}/rec/share/${fileId}`,
            recording_files: [
              {
                id: fileId,
                meeting_id: meetingUuid,
                recording_start: meeting.startTime,
                recording_end: end,
                file_type: 'TRANSCRIPT',
                file_size: Buffer.byteLength(meeting.vtt),
                file_extension: 'VTT',
                play_url: `${url}/rec/play/${fileId}`,
                download_url: `${url}/rec/download/${fileId}`,
                status: 'completed',
                recording_type: 'audio_transcript',
              },
            ],
          },
        },
        download_token: token,
      });
    },
    deliver,
    async validateEndpoint() {
      const plainToken = randomBytes(16).toString('base64url');
      const answer = await deliver(
        JSON.stringify({ event: 'endpoint.url_validation', event_ts: Date.now(), payload: { plainToken } }),
      );
      const expected = createHmac('sha256', options.secretToken).update(plainToken).digest('hex');
      const body = answer.body as { plainToken?: unknown; encryptedToken?: unknown } | null;
      return answer.status === 200 && body?.plainToken === plainToken && body?.encryptedToken === expected;
    },
    close: () => server.close(),
  };
  return zoom;
}
