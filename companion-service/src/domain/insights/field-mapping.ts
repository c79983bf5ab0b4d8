import { z } from 'zod';

/** Field_Policy__mdt: which insight feeds which field, how it may be written, and the confidence floor. */
export const FIELD_INSIGHTS = [
  'stage',
  'budget',
  'budgetRange',
  'timeline',
  'nextStep',
  // Contact details (decide-contact-details.ts): a customer person's new title, email and numbers.
  'contactTitle',
  'contactEmail',
  'contactPhone',
  'contactMobile',
  'seatCount',
  'competitors',
  'useCase',
  'employeeCount',
  'annualRevenue',
  'techStack',
  'decisionTimeline',
] as const;

export const FieldMappingSchema = z.object({
  developerName: z.string().min(1),
  objectName: z.string().min(1, 'Object_Name__c is required'),
  fieldName: z.string().min(1, 'Field_Name__c is required'),
  insight: z.enum(FIELD_INSIGHTS),
  mode: z.enum(['Suggest', 'Auto-apply']),
  /** Merge: a list field gains the new items and keeps every one it holds (a tech stack). */
  overwritePolicy: z.enum(['Never', 'If empty', 'Always', 'Merge']),
  minimumConfidence: z.number().min(0).max(1),
  isActive: z.boolean(),
  /** Earned trust: auto-apply once this many suggestions were accepted unedited; null never. */
  autoApplyAfterAccepted: z.number().int().positive().nullable().default(null),
  /** Earned trust: the share (0..1) of decisions that must be accepted unedited. */
  minimumAcceptanceRate: z.number().min(0).max(1).nullable().default(null),
  /** This many rejections in a row return the field to suggesting. */
  demoteAfterRejections: z.number().int().positive().nullable().default(null),
});
export type FieldMapping = z.infer<typeof FieldMappingSchema>;
