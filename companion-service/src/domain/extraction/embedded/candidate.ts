import type { Evidence, StakeholderRole } from '../../insights/schema.js';
import type { Side } from './sides.js';

/** A person as one source saw them; several candidates merge into one stakeholder. */
export interface Candidate {
  name: string;
  title: string | null;
  company: string | null;
  side: Side | null;
  role: StakeholderRole | null;
  roleStrength: number;
  evidence: Evidence;
  order: number;
}

/** "Dana" and "Dana Whitfield" are one person; "Dana Lee" and "Dana Whitfield" are two. */
export function samePerson(a: string, b: string): boolean {
  const x = a.toLowerCase();
  const y = b.toLowerCase();
  if (x === y) return true;
  const [xf, ...xr] = x.split(' ');
  const [yf, ...yr] = y.split(' ');
  return xf === yf && (xr.length === 0 || yr.length === 0);
}

/** One candidate per person, keeping the fullest name, the first title and the strongest role. */
export function mergeCandidates(candidates: Candidate[]): Candidate[] {
  const merged: Candidate[] = [];
  // Only people who share a first name can be one person: look among those alone.
  const byFirstName = new Map<string, Candidate[]>();
  for (const c of [...candidates].sort((a, b) => a.order - b.order)) {
    const first = c.name.split(' ')[0]!.toLowerCase();
    const bucket = byFirstName.get(first) ?? [];
    const same = bucket.find((m) => samePerson(m.name, c.name));
    if (!same) {
      const copy = { ...c };
      merged.push(copy);
      bucket.push(copy);
      byFirstName.set(first, bucket);
      continue;
    }
    if (c.name.length > same.name.length) same.name = c.name;
    if (!same.title && c.title) {
      same.title = c.title;
      if (!same.role) same.evidence = c.evidence;
    }
    same.company ??= c.company;
    same.side ??= c.side;
    if (c.role && c.roleStrength > same.roleStrength) {
      same.role = c.role;
      same.roleStrength = c.roleStrength;
      same.evidence = c.evidence;
    }
  }
  return merged;
}
