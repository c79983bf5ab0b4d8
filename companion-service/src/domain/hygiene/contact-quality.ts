import type { PipelineContact } from '../pipeline/records.js';

/**
 * Contact hygiene: duplicates (the same email anywhere, or near-identical names at the same account)
 * and emails or phone numbers that cannot be right. Duplicates are found by blocking, never by
 * comparing every contact with every other: contacts are grouped by email and by account first;
 * inside an account every pair of names is compared, and in a very large account each name only
 * with its neighbours in two sort orders, first name first and surname first (the sorted-
 * neighbourhood method: near-identical names sort next to each other in at least one of them).
 */

export interface DuplicateGroup {
  reason: 'same email' | 'similar name at the same account';
  contacts: { id: string; name: string | null; email: string | null }[];
  evidence: string;
  /** Name similarity (Jaro-Winkler, 0..1) for name matches; 1 for the same email. */
  similarity: number;
}

export interface MalformedValue {
  contactId: string;
  name: string | null;
  field: 'email' | 'phone';
  value: string;
  why: string;
}

/**
 * Two names at one account are one person when their first names are at least this similar
 * (Jon and John 0.93; Joan and John 0.87 are two people) and their surnames at least this similar
 * (Smith and Smyth 0.89, Muller and Mueller 0.92), by Jaro-Winkler on normalised names.
 */
export const SIMILAR_FIRST_NAME = 0.92;
export const SIMILAR_SURNAME = 0.88;
/** Above this many contacts, an account's names are compared only with their sorted neighbours. */
const BLOCK_LIMIT = 200;
/** How many sorted neighbours each name is compared with in a very large account. */
const NEIGHBOURS = 12;

/**
 * Jaro-Winkler similarity. Written here because no declared dependency offers it (the string
 * distance packages in node_modules come in transitively and are not ours to rely on), and it is
 * the measure made for short personal names.
 */
let scratchFlags = [new Uint8Array(64), new Uint8Array(64)];
function scratch(which: 0 | 1, length: number): Uint8Array {
  if (scratchFlags[which]!.length < length)
    scratchFlags = scratchFlags.map((f, i) => (i === which ? new Uint8Array(length * 2) : f));
  const flags = scratchFlags[which]!;
  flags.fill(0, 0, length);
  return flags;
}

export function jaroWinkler(a: string, b: string): number {
  if (a === b) return 1;
  if (a.length === 0 || b.length === 0) return 0;
  const window = Math.max(0, Math.floor(Math.max(a.length, b.length) / 2) - 1);
  // Scratch flags reused across calls: a duplicate check makes millions of comparisons.
  const aMatched = scratch(0, a.length);
  const bMatched = scratch(1, b.length);
  let matches = 0;
  for (let i = 0; i < a.length; i++) {
    const from = Math.max(0, i - window);
    const to = Math.min(b.length - 1, i + window);
    for (let j = from; j <= to; j++) {
      if (bMatched[j] || a[i] !== b[j]) continue;
      aMatched[i] = bMatched[j] = 1;
      matches++;
      break;
    }
  }
  if (matches === 0) return 0;
  let transpositions = 0;
  for (let i = 0, j = 0; i < a.length; i++) {
    if (!aMatched[i]) continue;
    while (!bMatched[j]) j++;
    if (a[i] !== b[j]) transpositions++;
    j++;
  }
  const jaro = (matches / a.length + matches / b.length + (matches - transpositions / 2) / matches) / 3;
  let prefix = 0;
  while (prefix < 4 && a[prefix] === b[prefix]) prefix++;
  return jaro + prefix * 0.1 * (1 - jaro);
}

const HONORIFICS = new Set(['mr', 'mrs', 'ms', 'miss', 'dr', 'prof', 'sir', 'jr', 'sr', 'ii', 'iii']);

/** Lower case, no accents or punctuation, no honorifics, "Doe, Jane" as "jane doe". */
export function normaliseName(name: string): string {
  const flipped = /^([^,]+),\s*([^,]+)$/.exec(name.trim());
  const ordered = flipped ? `${flipped[2]} ${flipped[1]}` : name;
  return ordered
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9\s'-]/g, ' ')
    .split(/\s+/)
    .filter((w) => w && !HONORIFICS.has(w.replace(/\.$/, '')))
    .join(' ');
}

// The WHATWG "valid e-mail address" grammar: what a browser's email field accepts, plus a dot in the domain.
const EMAIL =
  /^[a-zA-Z0-9.!#$%&'*+/=?^_`{|}~-]+@[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?(?:\.[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?)+$/;

export function emailProblem(email: string): string | null {
  const value = email.trim();
  if (!value.includes('@')) return 'no @';
  if (/\s/.test(value)) return 'contains a space';
  if (/\.\./.test(value)) return 'two dots in a row';
  if (!EMAIL.test(value)) return 'not a valid address';
  return null;
}

export function phoneProblem(phone: string): string | null {
  const value = phone.trim();
  // An extension is normal ("x204", "ext. 12"); judge the number before it.
  const number = value.replace(/\s*(?:x|ext\.?|extension)\s*\d{1,6}$/i, '');
  if (/[a-z]/i.test(number)) return 'contains letters';
  if (/[^0-9+()\-.\s/]/.test(number)) return 'contains characters a phone number does not';
  if (number.indexOf('+') > 0) return '+ only belongs at the start';
  const digits = number.replace(/\D/g, '').length;
  // E.164 allows at most 15 digits; fewer than 7 is not a reachable number anywhere.
  if (digits < 7) return `only ${digits} digits`;
  if (digits > 15) return `${digits} digits, more than any phone number has`;
  if (/^(\d)\1+$/.test(number.replace(/\D/g, ''))) return 'one digit repeated';
  return null;
}

class UnionFind {
  private readonly parent: number[];
  constructor(n: number) {
    this.parent = Array.from({ length: n }, (_, i) => i);
  }
  find(i: number): number {
    while (this.parent[i] !== i) i = this.parent[i] = this.parent[this.parent[i]!]!;
    return i;
  }
  union(a: number, b: number) {
    const [ra, rb] = [this.find(a), this.find(b)];
    if (ra !== rb) this.parent[Math.max(ra, rb)] = Math.min(ra, rb);
  }
}

export function findDuplicateContacts(contacts: readonly PipelineContact[]): DuplicateGroup[] {
  const groups = new UnionFind(contacts.length);
  const reason = new Map<number, { reason: DuplicateGroup['reason']; similarity: number }>();
  const byEmail = new Map<string, number>();
  contacts.forEach((c, i) => {
    const email = c.email?.trim().toLowerCase();
    if (!email) return;
    const first = byEmail.get(email);
    if (first === undefined) byEmail.set(email, i);
    else {
      groups.union(first, i);
      reason.set(i, { reason: 'same email', similarity: 1 });
    }
  });

  const byAccount = new Map<string, number[]>();
  const names: string[] = contacts.map((c) => (c.name ? normaliseName(c.name) : ''));
  contacts.forEach((c, i) => {
    if (!c.accountId || !names[i]) return;
    const block = byAccount.get(c.accountId) ?? [];
    block.push(i);
    byAccount.set(c.accountId, block);
  });
  const compare = (i: number, j: number) => {
    const similarity = nameMatch(names[i]!, names[j]!);
    if (similarity === null) return;
    groups.union(i, j);
    const later = Math.max(i, j);
    if (!reason.has(later)) reason.set(later, { reason: 'similar name at the same account', similarity });
  };
  for (const block of byAccount.values()) {
    if (block.length <= BLOCK_LIMIT) {
      for (let x = 0; x < block.length; x++)
        for (let y = x + 1; y < block.length; y++) compare(block[x]!, block[y]!);
      continue;
    }
    for (const key of [(i: number) => names[i]!, (i: number) => names[i]!.split(' ').reverse().join(' ')]) {
      const keys = new Map(block.map((i) => [i, key(i)]));
      const sorted = [...block].sort((a, b) =>
        keys.get(a)! < keys.get(b)! ? -1 : keys.get(a)! > keys.get(b)! ? 1 : a - b,
      );
      for (let x = 0; x < sorted.length; x++) {
        for (let y = x + 1; y <= x + NEIGHBOURS && y < sorted.length; y++) compare(sorted[x]!, sorted[y]!);
      }
    }
  }

  const members = new Map<number, number[]>();
  contacts.forEach((_, i) => {
    const root = groups.find(i);
    const list = members.get(root) ?? [];
    list.push(i);
    members.set(root, list);
  });
  const out: DuplicateGroup[] = [];
  for (const list of members.values()) {
    if (list.length < 2) continue;
    const why = list.map((i) => reason.get(i)).filter(Boolean) as {
      reason: DuplicateGroup['reason'];
      similarity: number;
    }[];
    const byName = why.find((w) => w.reason !== 'same email');
    const kind = why.some((w) => w.reason === 'same email')
      ? 'same email'
      : 'similar name at the same account';
    const people = list.map((i) => ({
      id: contacts[i]!.id,
      name: contacts[i]!.name,
      email: contacts[i]!.email,
    }));
    const shown = people
      .map((p) => `${p.name ?? '(no name)'}${p.email ? ` <${p.email}>` : ''} (${p.id})`)
      .join(', ');
    out.push({
      reason: kind,
      contacts: people,
      similarity: kind === 'same email' ? 1 : Number((byName?.similarity ?? 1).toFixed(2)),
      evidence:
        kind === 'same email'
          ? `${list.length} contacts share the email ${contacts[list[0]!]!.email!.trim().toLowerCase()}: ${shown}.`
          : `${list.length} contacts at account ${contacts[list[0]!]!.accountId} have near-identical names (similarity ${(byName?.similarity ?? 1).toFixed(2)}): ${shown}.`,
    });
  }
  return out.sort((a, b) => a.contacts[0]!.id.localeCompare(b.contacts[0]!.id));
}

/** An initial ("J.") or a short form ("Chris") agrees with the full first name it starts. */
function firstNameSimilarity(a: string, b: string): number {
  if (a === b) return 1;
  const [short, long] = a.length <= b.length ? [a, b] : [b, a];
  if ((short.length === 1 || short.length >= 3) && long.startsWith(short)) return 0.95;
  return jaroWinkler(a, b);
}

/**
 * Whether two normalised names are one person, and how alike they are (0..1): first name and surname
 * compared apart, either way round ("Jane Doe" and "Doe Jane"); a one-word name as a whole.
 */
export function nameMatch(a: string, b: string): number | null {
  const ta = a.split(' ');
  const tb = b.split(' ');
  if (ta.length < 2 || tb.length < 2) {
    const whole = jaroWinkler(a, b);
    return whole >= SIMILAR_FIRST_NAME ? whole : null;
  }
  let best: number | null = null;
  for (const [first, last] of [
    [tb[0]!, tb[tb.length - 1]!],
    [tb[tb.length - 1]!, tb[0]!],
  ] as const) {
    const lastSim = jaroWinkler(ta[ta.length - 1]!, last);
    if (lastSim < SIMILAR_SURNAME) continue;
    const firstSim = firstNameSimilarity(ta[0]!, first);
    if (firstSim >= SIMILAR_FIRST_NAME) {
      const sim = (firstSim + lastSim) / 2;
      if (best === null || sim > best) best = sim;
    }
  }
  return best;
}

export function findMalformedContacts(contacts: readonly PipelineContact[]): MalformedValue[] {
  const out: MalformedValue[] = [];
  for (const c of contacts) {
    if (c.email && c.email.trim()) {
      const why = emailProblem(c.email);
      if (why) out.push({ contactId: c.id, name: c.name, field: 'email', value: c.email, why });
    }
    if (c.phone && c.phone.trim()) {
      const why = phoneProblem(c.phone);
      if (why) out.push({ contactId: c.id, name: c.name, field: 'phone', value: c.phone, why });
    }
  }
  return out;
}
