import type { Conversation } from '../../source/conversation.js';
import type { Side } from './sides.js';
import type { Candidate } from './candidate.js';
import { NAME, cleanName, hasTitleWord, splitTitle } from './names.js';

const SIGN_OFF =
  /^(?:best|best regards|regards|kind regards|warm regards|warmly|thanks|thank you|many thanks|thanks again|cheers|sincerely|talk soon|all the best|thx|--|—)[,.!]?$/i;

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
