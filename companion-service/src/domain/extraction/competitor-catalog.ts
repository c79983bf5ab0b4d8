import { z } from 'zod';

/** Competitors sales ops track in Competitor__mdt: a name and the other names it goes by. */
export const CompetitorRecordSchema = z.object({
  developerName: z.string().min(1),
  name: z.string().min(1, 'Competitor_Name__c is required'),
  aliases: z.array(z.string().min(1)),
  isActive: z.boolean(),
});
export type CompetitorRecord = z.infer<typeof CompetitorRecordSchema>;

export interface CompetitorCatalog {
  entries: { name: string; aliases: string[] }[];
}

export function buildCompetitorCatalog(records: CompetitorRecord[]): CompetitorCatalog {
  return {
    entries: records.filter((r) => r.isActive).map((r) => ({ name: r.name, aliases: r.aliases })),
  };
}
