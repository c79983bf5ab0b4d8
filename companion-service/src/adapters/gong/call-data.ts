import { z } from 'zod';

/**
 * One call as Gong's webhook carries it (as /v2/calls/extensive returns it). Only what the service
 * relies on is checked strictly (the call id, and the shapes of parties and CRM context when
 * present); the rest is kept as sent.
 */

const id = z.union([z.string(), z.number()]).transform(String);

const GONG_CALL_ID = /^[A-Za-z0-9_-]{1,100}$/;

const PartySchema = z.looseObject({
  id: id.nullish(),
  name: z.string().max(500).nullish(),
  title: z.string().max(500).nullish(),
  emailAddress: z.string().max(320).nullish(),
  speakerId: id.nullish(),
  affiliation: z.string().max(50).nullish(),
});

const ContextSchema = z.looseObject({
  system: z.string().max(100).nullish(),
  objects: z
    .array(
      z.looseObject({
        objectType: z.string().max(100).nullish(),
        objectId: z.string().max(100).nullish(),
        fields: z
          .array(z.looseObject({ name: z.string().max(200), value: z.unknown() }))
          .max(500)
          .nullish(),
      }),
    )
    .max(200)
    .nullish(),
});

export const GongCallDataSchema = z.looseObject({
  metaData: z.looseObject({
    id: id.pipe(z.string().regex(GONG_CALL_ID, "expected Gong's call id, such as 7782342274025937895")),
    title: z.string().max(1000).nullish(),
    started: z.string().max(100).nullish(),
    scheduled: z.string().max(100).nullish(),
    url: z.string().max(2000).nullish(),
  }),
  parties: z.array(PartySchema).max(1000).nullish(),
  context: z.array(ContextSchema).max(50).nullish(),
});
export type GongCallData = z.infer<typeof GongCallDataSchema>;
