import type { ConversationResult } from '../domain/conversation-result.js';

/**
 * What `npm start` prints for each conversation: the deal it matched and why, the suggestions, the
 * auto-applied values with their provenance, what went stale or failed, and the API calls it took.
 */

const short = (text: string | null, max = 70) => {
  if (text === null) return '(empty)';
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
};

const DEFAULT_REASON = 'the field policy asks a rep to decide';

export function formatResult(name: string, status: number, ms: number, r: ConversationResult): string {
  const out: string[] = [];
  out.push(
    `\n── ${name}  (${r.format ?? 'unreadable'}, ${r.extractor ?? 'no extractor'}) → HTTP ${status} in ${ms.toFixed(0)} ms, ${r.apiCalls} API call${r.apiCalls === 1 ? '' : 's'}${r.changedOrg ? '' : ', nothing to change'}`,
  );
  const m = r.match;
  if (m.opportunity) out.push(`   Matched ${m.opportunity.name} (${m.opportunity.stageName})`);
  else if (m.kind === 'ambiguous')
    out.push(
      `   Not matched: ${m.candidates.length} deals are a close call; the rep chooses${m.account ? ` (kept on ${m.account.name ?? m.account.id})` : ''}`,
    );
  else if (m.kind === 'account')
    out.push(`   Kept on the account ${m.account?.name ?? m.account?.id}: no open deal matched`);
  else out.push('   Not matched to any deal');
  for (const reason of m.reasons) out.push(`     · ${reason}`);
  if (r.suggestions.length > 0) {
    out.push(`   Suggestions (${r.suggestions.length}):`);
    for (const s of r.suggestions) {
      const what =
        s.type === 'Stage' || s.type === 'Field'
          ? `${s.field}: ${short(s.currentValue, 30)} → ${short(s.proposedValue, 50)}`
          : short(s.proposedValue);
      const status =
        s.status === 'Pending'
          ? ''
          : ` [${s.status}${s.statusReason ? `: ${short(s.statusReason, 60)}` : ''}]`;
      out.push(`     ${s.type.padEnd(17)} ${what} (confidence ${s.confidence})${status}`);
      if (s.evidence) out.push(`       "${short(s.evidence, 90)}"`);
      const why = r.fieldOutcomes.find(
        (o) => o.field === s.field && (s.type === 'Field' || s.type === 'Stage'),
      )?.reason;
      if (why && why !== DEFAULT_REASON) out.push(`       why: ${short(why, 110)}`);
    }
  }
  if (r.autoApplied.length > 0) {
    out.push(`   Auto-applied (${r.autoApplied.length}), each with its Field_Provenance__c:`);
    for (const a of r.autoApplied) {
      out.push(
        `     ${a.field}: ${short(a.previousValue, 30)} → ${short(a.value, 50)} by ${a.policy} (provenance ${a.provenanceId ?? 'pending'})`,
      );
    }
  }
  for (const s of r.stale) out.push(`   Stale: ${s.suggestionId}: ${s.reason}`);
  const held = r.fieldOutcomes.filter((o) => ['kept', 'skipped', 'failed', 'unchanged'].includes(o.outcome));
  for (const o of held) out.push(`   ${o.field} ${o.outcome}: ${short(o.reason, 110)}`);
  for (const d of r.dropped)
    out.push(`   Dropped ${d.insight} "${short(d.value, 40)}": ${short(d.reason, 100)}`);
  for (const e of r.errors) out.push(`   Error ${e.code}: ${short(e.message, 120)}`);
  return out.join('\n') + '\n';
}
