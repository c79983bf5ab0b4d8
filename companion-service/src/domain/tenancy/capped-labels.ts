/**
 * A metric label per org, with a ceiling: Prometheus keeps one series per label value, so a label
 * that took every org id a publisher ever served would grow without bound. The first `max` orgs seen
 * keep their own id; every later one is counted under `other` (the log and `scribe orgs show` still
 * name it). Which orgs get their own series is decided once, in the order they appear.
 */
export const OTHER_ORGS = 'other';

export class CappedLabels {
  private readonly named = new Set<string>();

  constructor(readonly max: number) {}

  label(orgId: string): string {
    if (this.named.has(orgId)) return orgId;
    if (this.named.size >= this.max) return OTHER_ORGS;
    this.named.add(orgId);
    return orgId;
  }
}
