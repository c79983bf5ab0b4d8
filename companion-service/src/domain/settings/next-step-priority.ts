import { z } from 'zod';

/**
 * When a next step is High, Medium or Low priority, as sales ops set it in the Default
 * Scribe_Setting__mdt record (Next_Step_High_Priority_Days__c, Next_Step_Medium_Priority_Days__c):
 * days from the conversation to the step's due date. No defaults here: the package ships them once,
 * in its record, and Apex (ScribeConfigSelector.getNextStepPriorityDays) reads the same fields.
 */
const days = z.number().int().min(0).max(3650);

export const NextStepPriorityRecordSchema = z
  .object({ highWithinDays: days, mediumWithinDays: days })
  .refine((c) => c.highWithinDays <= c.mediumWithinDays, {
    path: ['highWithinDays'],
    message: 'must be at most the Medium priority days',
  });

export type NextStepPriorityCutoffs = z.infer<typeof NextStepPriorityRecordSchema>;
