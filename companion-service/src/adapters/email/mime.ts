import { simpleParser, type AddressObject, type ParsedMail } from 'mailparser';

/**
 * A MIME message (an .eml saved from a mail client: multipart bodies, quoted-printable or base64
 * transfer encodings, encoded-word headers) decoded by `mailparser` into the plain email the
 * conversation parser reads: the headers people see, a blank line, the text body. An HTML-only
 * message gets the text mailparser renders from its HTML; attachments are left out.
 */
export async function decodeMime(raw: string): Promise<string> {
  return renderMail(await simpleParser(raw, { skipImageLinks: true, skipTextToHtml: true }));
}

/** A message mailparser has read, as the plain email the conversation parser reads. */
export function renderMail(mail: ParsedMail): string {
  const lines: string[] = [];
  const addresses = (key: string, value: AddressObject | AddressObject[] | undefined) => {
    const list = [value ?? []].flat().flatMap((a) => a.value);
    const rendered = list
      .map((a) => {
        const name = (a.name ?? '').replace(/"/g, '').trim();
        if (!a.address) return name;
        return name ? `${/[,;]/.test(name) ? `"${name}"` : name} <${a.address}>` : a.address;
      })
      .filter(Boolean);
    if (rendered.length > 0) lines.push(`${key}: ${rendered.join(', ')}`);
  };
  addresses('From', mail.from);
  addresses('To', mail.to);
  addresses('Cc', mail.cc);
  // The Date header as written keeps the sender's own time zone, which decides the calendar day.
  const date = mail.headerLines.find((h) => h.key === 'date')?.line.replace(/^date:\s*/i, '');
  if (date) lines.push(`Date: ${date.replace(/\s+/g, ' ').trim()}`);
  else if (mail.date) lines.push(`Date: ${mail.date.toUTCString()}`);
  if (mail.subject) lines.push(`Subject: ${mail.subject.replace(/\s+/g, ' ')}`);
  const body = (mail.text ?? '').replace(/\r\n?/g, '\n').trim();
  return `${lines.join('\n')}\n\n${body}\n`;
}
