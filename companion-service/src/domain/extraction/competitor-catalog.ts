import { z } from 'zod';

/** Competitors sales ops track in Competitor__mdt: a name and the other names it goes by. */
export const CompetitorRecordSchema = z.object({
  developerName: z.string().min(1),
  name: z.string().min(1, 'Competitor_Name__c is required'),
  aliases: z.array(z.string().min(1)),
  isActive: z.boolean(),
  /** Match the name and aliases only as written: everyday words ("Outreach") and mixed case ("nCino"). */
  matchCase: z.boolean().default(false),
});
export type CompetitorRecord = z.input<typeof CompetitorRecordSchema>;

export interface CompetitorCatalog {
  entries: { name: string; aliases: string[]; matchCase?: boolean }[];
}

export function buildCompetitorCatalog(records: CompetitorRecord[]): CompetitorCatalog {
  return {
    entries: records
      .filter((r) => r.isActive)
      .map((r) => ({ name: r.name, aliases: r.aliases, matchCase: r.matchCase === true })),
  };
}
