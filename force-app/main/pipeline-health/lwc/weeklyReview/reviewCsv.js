/**
 * The deals of a weekly review with their next steps as CSV (RFC 4180: every field quoted, quotes
 * doubled, CRLF between rows), for a manager to open in a spreadsheet.
 */

const COLUMNS = [
  ['Opportunity ID', (d) => d.opportunityId],
  ['Opportunity', (d) => d.name],
  ['Account', (d) => d.accountName],
  ['Owner', (d) => d.owner],
  ['Stage', (d) => d.stage],
  ['Amount', (d) => d.amount],
  ['Close date', (d) => d.closeDate],
  ['Status', (d) => d.status],
  ['Confidence', (d) => d.confidence],
  ['Win chance', (d) => (typeof d.winChance === 'number' ? Math.round(d.winChance * 100) / 100 : null)],
  ['Risk', (d) => d.risk],
  ['Risk change this week', (d) => d.riskChange],
  ['Top risks', (d) => (d.risks ?? []).join('; ')],
  ['Next step (rep)', (d) => d.nextStep],
  ['Recommended action', (d) => d.nextAction?.action],
  ['Why', (d) => d.nextAction?.why],
  ['Due date', (d) => d.nextAction?.dueDate],
];

/**
 * A spreadsheet runs text that starts with =, +, -, @, a tab or a return as a formula; a rep's Next
 * Step could be "=HYPERLINK(...)". Such text gets a leading apostrophe, which the sheet shows as text
 * (OWASP, CSV injection). Numbers are left as they are: a negative risk change is a number.
 */
function cell(value) {
  if (value === null || value === undefined) return '""';
  let text = String(value);
  if (typeof value === 'string' && /^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return `"${text.replace(/"/g, '""')}"`;
}

export function reviewCsv(deals) {
  const rows = [COLUMNS.map(([header]) => cell(header))];
  for (const deal of deals) rows.push(COLUMNS.map(([, valueOf]) => cell(valueOf(deal))));
  return rows.map((row) => row.join(',')).join('\r\n');
}
