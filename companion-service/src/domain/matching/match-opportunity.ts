import type { ContactView, OpportunityView } from '../writeback/org-view.js';

/**
 * Which deal a conversation belongs to. A CRM link that came with the conversation (Gong's context,
 * or the opportunity a rep captured it on) wins. Otherwise the customer's participants are looked up
 * as contacts; their deals are scored by contact roles and account membership, with the reasons
 * kept. When the two best candidates are close, the match is not guessed: the conversation stays on
 * the account and the rep is asked.
 */

export interface MatchHints {
  /** The opportunity the source itself links to (Gong's CRM context). */
  crmOpportunityId: string | null;
  /** The opportunity or account the conversation was captured on. */
  requestedOpportunityId: string | null;
  requestedAccountId: string | null;
  /** The deal an earlier run (or a rep accepting a match) linked this conversation to. */
  previousOpportunityId: string | null;
  /** The customer side's email addresses and names, lower-cased emails. */
  emails: string[];
  names: string[];
  /** The conversation's text and subject, to notice a deal named in it. */
  text: string;
}

export interface MatchCandidate {
  opportunity: OpportunityView;
  score: number;
  reasons: string[];
}

export type MatchResult =
  | { kind: 'opportunity'; opportunity: OpportunityView; reasons: string[]; candidates: MatchCandidate[] }
  | {
      kind: 'ambiguous';
      accountId: string | null;
      accountName: string | null;
      candidates: MatchCandidate[];
      reasons: string[];
    }
  | { kind: 'account'; accountId: string; accountName: string | null; reasons: string[] }
  | { kind: 'none'; reasons: string[] };

/** Below this gap between the best two scores the match is a coin toss; the rep decides. */
export const CLOSE_CALL = 1;

const WEIGHTS = {
  roleByEmail: 3,
  roleByName: 2,
  primary: 0.5,
  accountByEmail: 1,
  accountByName: 0.5,
  named: 1.5,
};

const norm = (s: string) => s.trim().toLowerCase().replace(/\s+/g, ' ');

/** The part of a deal name that is not the account's ("Fabrikam - Dispatch automation" → "dispatch automation"). */
function dealPhrase(opportunity: OpportunityView): string | null {
  const name = norm(opportunity.name);
  const account = opportunity.accountName ? norm(opportunity.accountName) : '';
  const rest =
    account && name.startsWith(account) ? name.slice(account.length).replace(/^[\s\-–:|]+/, '') : name;
  return rest.length >= 4 && rest !== account ? rest : null;
}

function score(opportunity: OpportunityView, hints: MatchHints, contacts: ContactView[]): MatchCandidate {
  const emails = new Set(hints.emails.map(norm));
  const names = new Set(hints.names.map(norm));
  let total = 0;
  const reasons: string[] = [];
  const credited = new Set<string>();
  for (const role of opportunity.contactRoles) {
    const byEmail = role.email !== null && emails.has(norm(role.email));
    const byName = !byEmail && role.contactName !== null && names.has(norm(role.contactName));
    if (!byEmail && !byName) continue;
    credited.add(role.contactId);
    total += (byEmail ? WEIGHTS.roleByEmail : WEIGHTS.roleByName) + (role.isPrimary ? WEIGHTS.primary : 0);
    const who = byEmail ? role.email! : role.contactName!;
    reasons.push(
      `${who} has the contact role ${role.role ?? '(no role)'}${role.isPrimary ? ' (primary)' : ''} on ${opportunity.name}`,
    );
  }
  for (const contact of contacts) {
    if (credited.has(contact.id) || contact.accountId !== opportunity.accountId) continue;
    const byEmail = contact.email !== null && emails.has(norm(contact.email));
    total += byEmail ? WEIGHTS.accountByEmail : WEIGHTS.accountByName;
    reasons.push(
      `${byEmail ? contact.email : contact.name} is a contact at ${opportunity.accountName ?? 'its account'}`,
    );
  }
  const phrase = dealPhrase(opportunity);
  if (phrase && norm(hints.text).includes(phrase)) {
    total += WEIGHTS.named;
    reasons.push(`the conversation names the deal ("${phrase}")`);
  }
  return { opportunity, score: total, reasons };
}

export function matchOpportunity(
  hints: MatchHints,
  linked: OpportunityView | null,
  openOpportunities: OpportunityView[],
  contacts: ContactView[],
): MatchResult {
  const notes: string[] = [];
  const links: [string | null, string, string][] = [
    [hints.requestedOpportunityId, 'captured on', 'the capture'],
    [hints.crmOpportunityId, "Gong's CRM context links the call to", "Gong's CRM context"],
    [hints.previousOpportunityId, 'linked earlier to', 'the earlier link'],
  ];
  // The first link there is was looked up; the others were not, so they neither match nor fail.
  const [id, linkedBy, source] = links.find(([candidate]) => candidate !== null) ?? [null, '', ''];
  if (id && linked?.id.slice(0, 15) === id.slice(0, 15)) {
    return {
      kind: 'opportunity',
      opportunity: linked,
      reasons: [`${linkedBy} ${linked.name}`],
      candidates: [],
    };
  }
  if (id) notes.push(`${source} names opportunity ${id}, which this org does not have`);
  const pool = hints.requestedAccountId
    ? openOpportunities.filter((o) => o.accountId === hints.requestedAccountId)
    : openOpportunities;
  const candidates = pool
    .map((o) => score(o, hints, contacts))
    .filter((c) => c.score > 0 || hints.requestedAccountId !== null)
    .sort((a, b) => b.score - a.score || a.opportunity.name.localeCompare(b.opportunity.name));
  const [best, second] = candidates;
  if (best && (!second || best.score - second.score >= CLOSE_CALL)) {
    const only = !second
      ? [`the only open opportunity that matched (score ${best.score})`]
      : [`score ${best.score} against ${second.score} for ${second.opportunity.name}`];
    return {
      kind: 'opportunity',
      opportunity: best.opportunity,
      reasons: [...notes, ...best.reasons, ...only],
      candidates,
    };
  }
  if (best && second) {
    const close = candidates.filter((c) => best.score - c.score < CLOSE_CALL);
    const accounts = new Set(close.map((c) => c.opportunity.accountId));
    const sameAccount = accounts.size === 1 ? close[0]!.opportunity : null;
    return {
      kind: 'ambiguous',
      accountId: sameAccount?.accountId ?? null,
      accountName: sameAccount?.accountName ?? null,
      candidates: close,
      reasons: [
        ...notes,
        `${close.length} open opportunities match about equally well (${close.map((c) => `${c.opportunity.name}: ${c.score}`).join('; ')}); the rep chooses`,
      ],
    };
  }
  const accountContact = hints.requestedAccountId
    ? { accountId: hints.requestedAccountId, accountName: null, name: 'the capture' }
    : contacts.find((c) => c.accountId);
  if (accountContact?.accountId) {
    return {
      kind: 'account',
      accountId: accountContact.accountId,
      accountName: accountContact.accountName,
      reasons: [
        ...notes,
        `${accountContact.name} links it to ${accountContact.accountName ?? 'the account'}, which has no open opportunity that matched`,
      ],
    };
  }
  return {
    kind: 'none',
    reasons: [
      ...notes,
      'no participant is a contact in the org and no opportunity was named, so the conversation is kept unlinked',
    ],
  };
}
