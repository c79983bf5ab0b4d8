import type { Conversation } from '../../source/conversation.js';
import type { Side } from './sides.js';
import type { Candidate } from './candidate.js';
import { NAME, cleanName, hasTitleWord, splitTitle } from './names.js';

const SIGN_OFF =
  /^(?:best|best regards|regards|kind regards|warm regards|warmly|thanks|thank you|many thanks|thanks again|cheers|sincerely|talk soon|all the best|thx|--|—)[,.!]?$/i;

export interface SignatureLine {
  text: string;
  start: number;
}

/** A signature: the name under the sign-off, and the lines below it (title, company, numbers, address). */
export interface SignatureBlock {
  name: string;
  nameStart: number;
  lines: SignatureLine[];
}

/** Where a signature ends: the quoted history or a forwarded message begins. */
const BLOCK_END = /^(?:on .+wrote:|-{2,}\s*(?:original|forwarded) message|from:|sent:|>)/i;
/** A signature is a few lines; an address, numbers and a link fit in this many. */
const MAX_SIGNATURE_LINES = 8;

/**
 * The signatures under the sign-offs of a message's own (unquoted) parts: "Best,\nElena\n\nElena
 * Kovacs\nDirector, AP\n(614) 555-0182". One blank line may part the short name from the full block.
 */
export function signatureBlocks(conversation: Conversation): SignatureBlock[] {
  if (conversation.format !== 'email') return [];
  const blocks: SignatureBlock[] = [];
  const { text } = conversation;
  const nameRe = new RegExp(`^${NAME}$`, 'u');
  // A parser may cut a message into paragraphs: the sign-off and the block under it are read as one run.
  const runs: { start: number; end: number }[] = [];
  for (const u of conversation.utterances) {
    const last = runs[runs.length - 1];
    if (u.quoted) runs.push({ start: -1, end: -1 });
    else if (last && last.start >= 0) last.end = u.end;
    else runs.push({ start: u.start, end: u.end });
  }
  for (const u of runs) {
    if (u.start < 0) continue;
    const lines: SignatureLine[] = [];
    let offset = u.start;
    for (const line of text.slice(u.start, u.end).split('\n')) {
      lines.push({ text: line, start: offset });
      offset += line.length + 1;
    }
    for (let i = 0; i < lines.length - 1; i++) {
      if (!SIGN_OFF.test(lines[i]!.text.trim())) continue;
      const nameLine = lines[i + 1]!;
      const name = nameLine.text.trim();
      if (!nameRe.test(name)) continue;
      const below: SignatureLine[] = [];
      let blanks = 0;
      for (const line of lines.slice(i + 2)) {
        if (below.length >= MAX_SIGNATURE_LINES || BLOCK_END.test(line.text.trim())) break;
        if (line.text.trim() === '') {
          if (++blanks > 1 || below.length > 0) break;
          continue;
        }
        below.push({ text: line.text, start: line.start });
      }
      blocks.push({ name, nameStart: nameLine.start + nameLine.text.indexOf(name), lines: below });
    }
  }
  return blocks;
}

/** Email signatures: a sign-off line, then the name, then a title and company on the lines below. */
export function signatureCandidates(
  conversation: Conversation,
  excluded: Set<string>,
  sides: Map<string, Side>,
  order: number,
  sellerDomains: readonly string[] = [],
): Candidate[] {
  if (conversation.format !== 'email') return [];
  const out: Candidate[] = [];
  const { text } = conversation;
  const sender = conversation.participants.find((p) => p.speakerLabel);
  for (const u of conversation.utterances) {
    if (u.quoted) continue;
    const lines = text.slice(u.start, u.end).split('\n');
    let offset = u.start;
    const starts = lines.map((l) => {
      const s = offset;
      offset += l.length + 1;
      return s;
    });
    for (let i = 0; i < lines.length - 1; i++) {
      if (!SIGN_OFF.test(lines[i]!.trim())) continue;
      const nameLine = lines[i + 1]!.trim();
      const name = new RegExp(`^${NAME}$`, 'u').test(nameLine) ? cleanName(nameLine, excluded) : null;
      if (!name) continue;
      const titleLine = lines[i + 2]?.trim() ?? '';
      const { title, company } = hasTitleWord(titleLine)
        ? splitTitle(titleLine.replace(/\s*[|,]\s*/, ' at '))
        : { title: null, company: null };
      const at = starts[i + 1]! + lines[i + 1]!.indexOf(nameLine);
      const isSender =
        sender &&
        (sender.name.toLowerCase().startsWith(name.toLowerCase()) ||
          name.toLowerCase().startsWith(sender.name.toLowerCase().split(' ')[0]!));
      // The address under the name says whose side they are on, forwarded mail included.
      const address = lines
        .slice(i + 2, i + 7)
        .join(' ')
        .match(/[\w.+-]+@([\w-]+(?:\.[\w-]+)+)/);
      const ours = address ? sellerDomains.includes(address[1]!.toLowerCase()) : false;
      out.push({
        name,
        title,
        company,
        side: ours
          ? 'seller'
          : isSender && sender.speakerLabel
            ? (sides.get(sender.speakerLabel) ?? null)
            : null,
        role: null,
        roleStrength: 0,
        evidence: { quote: nameLine, start: at, end: at + nameLine.length },
        order: order++,
      });
    }
  }
  return out;
}
