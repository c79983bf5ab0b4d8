import type { PipelineAudit } from '../domain/review/pipeline-audit.js';
import type { DealReview } from '../domain/review/weekly-review.js';
import type { AuditSource } from './audit-report.js';
import { fieldLabel } from '../domain/hygiene/completeness.js';

/**
 * The audit as a sales-ops person reads it: what is wrong with the pipeline in counts, who keeps
 * complete records, every flagged deal with its evidence and the action asked for, then the weekly
 * review (three deals to focus on, deals to close out, every open deal's status).
 */

/** Next-best actions shown per rep in the report; the json output holds the whole queue. */
const ACTIONS_PER_REP = 5;
/** Unreadable rows named in the report; the json output lists more. */
const BAD_ROWS_SHOWN = 10;

const pct = (x: number | null) => (x === null ? 'n/a' : `${Math.round(x * 100)}%`);
/** Table cells hold no pipes or line breaks. */
const esc = (s: string | null | undefined) => (s ?? '').replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
const dealName = (d: { name: string | null; opportunityId: string }) =>
  d.name ? `${esc(d.name)} (${d.opportunityId})` : d.opportunityId;

function trendText(d: DealReview): string {
  if (d.trend.change === null) return 'new this week';
  if (d.trend.change === 0) return 'no change';
  return `${d.trend.change > 0 ? '▲' : '▼'} ${Math.abs(d.trend.change)} (was ${d.trend.previous})`;
}

export function auditMarkdown(
  audit: PipelineAudit,
  source: AuditSource,
  money: (n: number) => string,
): string {
  const out: string[] = [];
  const line = (s = '') => out.push(s);
  const amount = (n: number | null) => (n === null ? '' : money(n));

  line(`# Pipeline hygiene audit, as of ${audit.asOf}`);
  line();
  line(
    `${source.opportunities}: ${source.rows} opportunities` +
      (source.history
        ? `; ${source.history}: ${source.historyRows} history rows`
        : '; no history given (--history), so slipped close dates and skipped stages are not judged') +
      `. Rules: the package's custom metadata (Risk_Rule, Stage_Definition, Buying_Phase_Rule).`,
  );
  if (source.skippedRows > 0) {
    line();
    line(
      `> **Note:** ${source.skippedRows} ${source.skippedRows === 1 ? 'row' : 'rows'} could not be read and ${source.skippedRows === 1 ? 'is' : 'are'} left out of this audit; fix ${source.skippedRows === 1 ? 'it' : 'them'} in the export and run it again:`,
    );
    for (const bad of source.badRows.slice(0, BAD_ROWS_SHOWN))
      line(
        `> - ${esc(bad.file)} line ${bad.line}${bad.column === null ? '' : `, ${esc(bad.column)}`}: ${esc(bad.problem)}`,
      );
    if (source.skippedRows > BAD_ROWS_SHOWN)
      line(
        `> - …and ${source.skippedRows - BAD_ROWS_SHOWN} more (--format json lists the first ${source.badRows.length}).`,
      );
    line();
  }
  if (source.asOfDefaulted)
    line(`As of today (${audit.asOf}); pass --as-of YYYY-MM-DD to audit another date.`);
  if (audit.lastDataDate) line(`The newest date in the data is ${audit.lastDataDate}.`);
  if (source.undatedLeftOut > 0) {
    line(
      `${source.undatedLeftOut} deals with no date at all are left out: nothing says they existed on ${audit.asOf}.`,
    );
  }
  for (const warning of audit.warnings) {
    line();
    line(`> **Note:** ${warning}`);
  }

  line();
  line('## Summary');
  line();
  const t = audit.totals;
  line(
    `- ${t.open} open deals, ${t.flagged} of them flagged (${pct(t.open ? t.flagged / t.open : null)}); ${t.closed} closed deals are not audited.`,
  );
  line(
    `- ${audit.review.closeOut.length} close-out candidates; ${audit.review.deals.filter((d) => d.status === 'At risk').length} deals at risk.`,
  );
  if (audit.notChecked.length)
    line(`- Not checked (rule disabled or missing): ${audit.notChecked.join(', ')}.`);

  line();
  line('## Flags');
  line();
  line('| Flag | Kind | Open deals flagged | Could not judge | Rule |');
  line('|---|---|---:|---:|---|');
  for (const f of audit.flagCounts)
    line(`| ${f.label} | ${f.category} | ${f.deals} | ${f.notJudged} | ${f.rule} |`);
  line();
  line(
    '"Could not judge" counts open deals missing what the rule reads (a date, a column, history or conversations): they are not flagged on a guess.',
  );

  line();
  line('## Completeness by rep');
  line();
  if (audit.completenessByRep.length === 0) {
    line('No open deal is in a stage whose Stage_Definition names required fields the export carries.');
  } else {
    line(
      "Required fields come from each stage's Stage_Definition (Required_Fields__c); only columns the export carries are judged.",
    );
    line();
    line('| Rep | Open deals judged | Incomplete | Completeness | Most often blank |');
    line('|---|---:|---:|---:|---|');
    for (const r of audit.completenessByRep) {
      line(
        `| ${esc(r.owner)} | ${r.deals} | ${r.incomplete} | ${pct(r.score)} | ${r.mostMissing ? `${fieldLabel(r.mostMissing.field)} (${r.mostMissing.count})` : ''} |`,
      );
    }
  }

  line();
  line('## Contacts');
  line();
  if (audit.contacts.checked === 0) {
    line('No contacts in this input: duplicate and malformed email and phone checks run on contact data.');
  } else {
    line(
      `${audit.contacts.checked} contacts checked: ${audit.contacts.duplicates.length} duplicate groups, ${audit.contacts.malformed.length} malformed values.`,
    );
    for (const d of audit.contacts.duplicates) line(`- Duplicate (${d.reason}): ${esc(d.evidence)}`);
    for (const m of audit.contacts.malformed)
      line(
        `- Malformed ${m.field} on ${esc(m.name ?? m.contactId)} (${m.contactId}): "${esc(m.value)}", ${m.why}.`,
      );
  }

  const actionByDeal = new Map(
    audit.queues.flatMap((q) => q.actions.map((a) => [a.opportunityId, a] as const)),
  );
  const flagged = audit.deals.filter((d) => d.findings.length > 0);
  line();
  line(`## Flagged deals (${flagged.length})`);
  line();
  if (flagged.length === 0) line('None.');
  else {
    line('| Risk | Deal | Owner | Stage | Amount | What the data shows | Action |');
    line('|---:|---|---|---|---:|---|---|');
    for (const d of flagged) {
      const evidence = d.findings
        .map((f) => `**${f.label}** (+${f.weight}): ${esc(f.evidence)}`)
        .join('<br>');
      const action = actionByDeal.get(d.opportunityId);
      line(
        `| ${d.risk.score} | ${dealName(d)} | ${esc(d.owner)} | ${esc(d.stage)} | ${amount(d.amount)} | ${evidence} | ${action?.action ?? ''} |`,
      );
    }
  }

  line();
  line('## Weekly deal review');
  line();
  line('### Three deals to focus on');
  line();
  if (audit.review.focus.length === 0) line('No open deals.');
  audit.review.focus.forEach((f, i) =>
    line(`${i + 1}. **${dealName(f)}**, ${esc(f.owner) || 'no owner'}: ${esc(f.why)}`),
  );
  line();
  line(`### Close-out candidates (${audit.review.closeOut.length})`);
  line();
  if (audit.review.closeOut.length === 0) line('None.');
  for (const c of audit.review.closeOut)
    line(`- ${dealName(c)}, ${esc(c.owner) || 'no owner'}: ${esc(c.why)}`);
  line();
  line('### Every open deal');
  line();
  line(
    "Confidence is the chance of winning: the probability on the record, else the stage's default probability.",
  );
  line();
  line(
    '| Deal | Owner | Stage | Amount | Close | Status | Confidence | Risk | This week | Customer phase | Risks |',
  );
  line('|---|---|---|---:|---|---|---:|---:|---|---|---|');
  for (const d of audit.review.deals) {
    const confidence = d.confidence
      ? `${pct(d.confidence.probability)}${d.confidence.basis === 'stage default' ? ' (stage)' : ''}`
      : 'unknown';
    line(
      `| ${dealName(d)} | ${esc(d.owner)} | ${esc(d.stage)} | ${amount(d.amount)} | ${d.closeDate ?? ''} | ${d.status} | ${confidence} | ${d.risk} | ${trendText(d)} | ${esc(d.decisionPhase?.phase)} | ${d.risks.map(esc).join('<br>')} |`,
    );
  }

  line();
  line('## Next best actions by rep');
  line();
  if (audit.queues.length === 0) line('No action needed on any open deal.');
  for (const q of audit.queues) {
    line(`### ${esc(q.owner)} (${q.actions.length} actions)`);
    line();
    for (const a of q.actions.slice(0, ACTIONS_PER_REP)) {
      line(
        `${a.rank}. **${a.action}**: ${dealName({ name: a.opportunityName, opportunityId: a.opportunityId })}. ${esc(a.why)}`,
      );
    }
    if (q.actions.length > ACTIONS_PER_REP)
      line(`   …and ${q.actions.length - ACTIONS_PER_REP} more (--format json lists them all).`);
    line();
  }
  return out.join('\n').replace(/\n+$/, '') + '\n';
}
