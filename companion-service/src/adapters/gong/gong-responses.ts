import { z } from 'zod';

/**
 * Gong's API answers as the service reads them: transcripts, extensive calls (metaData, parties,
 * context) and the error shape `{ requestId, errors[] }`. Unknown fields are kept, not refused.
 */

const id = z.union([z.string(), z.number()]).transform(String);

export const RecordsSchema = z.looseObject({
  totalRecords: z.number().nullish(),
  currentPageSize: z.number().nullish(),
  currentPageNumber: z.number().nullish(),
  cursor: z.string().nullish(),
});

export const TranscriptSchema = z.looseObject({
  callId: id,
  transcript: z.array(
    z.looseObject({
      speakerId: id.nullish(),
      topic: z.string().nullish(),
      sentences: z.array(
        z.looseObject({ start: z.number().nullish(), end: z.number().nullish(), text: z.string() }),
      ),
    }),
  ),
});
export type CallTranscript = z.infer<typeof TranscriptSchema>;

export const TranscriptPageSchema = z.looseObject({
  requestId: z.string().nullish(),
  records: RecordsSchema.nullish(),
  callTranscripts: z.array(TranscriptSchema),
});

export const ExtensiveCallSchema = z.looseObject({
  metaData: z.looseObject({ id }),
  parties: z.array(z.looseObject({})).nullish(),
  context: z.array(z.looseObject({})).nullish(),
});
export type ExtensiveCall = z.infer<typeof ExtensiveCallSchema>;

export const ExtensivePageSchema = z.looseObject({
  requestId: z.string().nullish(),
  records: RecordsSchema.nullish(),
  calls: z.array(ExtensiveCallSchema),
});

export const GongErrorSchema = z.looseObject({
  requestId: z.string().nullish(),
  errors: z.array(z.string()).nullish(),
});
