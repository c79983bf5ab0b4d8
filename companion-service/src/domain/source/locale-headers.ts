/**
 * Email header keys and dates as Spanish and Chinese mail clients write them when a message is
 * pasted ("De:", "Para:", "Asunto:", "发件人：", "主题："), read as the English keys the email
 * parser knows. Outlook and Gmail localise these lines in the copy a rep pastes.
 */
const KEYS: Record<string, string> = {
  de: 'from',
  para: 'to',
  cc: 'cc',
  cco: 'bcc',
  fecha: 'date',
  enviado: 'sent',
  asunto: 'subject',
  发件人: 'from',
  收件人: 'to',
  抄送: 'cc',
  日期: 'date',
  发送时间: 'sent',
  时间: 'date',
  主题: 'subject',
};

export const LOCALE_HEADER_KEYS = String.raw`De|Para|CC|CCO|Fecha|Enviado|Asunto|发件人|收件人|抄送|日期|发送时间|时间|主题`;

/** The English key a localised header key stands for ("Asunto" → "subject"); the key itself otherwise. */
export function canonicalHeaderKey(key: string): string {
  const lower = key.toLowerCase();
  return KEYS[lower] ?? lower;
}

/** Month names as Spanish dates write them, January first. */
export const SPANISH_MONTHS = [
  'enero',
  'febrero',
  'marzo',
  'abril',
  'mayo',
  'junio',
  'julio',
  'agosto',
  'septiembre',
  'octubre',
  'noviembre',
  'diciembre',
];

/** "jueves, 9 de abril de 2026 18:05" and "2026年4月9日 18:05" as YYYY-MM-DD; null for anything else. */
export function localeHeaderDate(value: string): string | null {
  const es = /\b(\d{1,2}) de (\p{L}+) de (\d{4})\b/u.exec(value);
  const zh = /(\d{4})年(\d{1,2})月(\d{1,2})日/.exec(value);
  let y: number, m: number, d: number;
  if (es) {
    m = SPANISH_MONTHS.indexOf(es[2]!.toLowerCase()) + 1;
    if (m === 0) return null;
    [y, d] = [Number(es[3]), Number(es[1])];
  } else if (zh) [y, m, d] = [Number(zh[1]), Number(zh[2]), Number(zh[3])];
  else return null;
  const date = new Date(Date.UTC(y, m - 1, d));
  return date.getUTCMonth() === m - 1 && date.getUTCDate() === d ? date.toISOString().slice(0, 10) : null;
}
