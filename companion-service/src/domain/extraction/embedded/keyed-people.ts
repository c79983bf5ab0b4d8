import type { StakeholderRole } from '../../insights/schema.js';
import type { Sentence } from '../../text/sentences.js';
import { evidenceForSentence } from '../../stages/signal-matcher.js';
import { NAME, cleanName, splitTitle } from './names.js';
import type { CandidateSet, PeopleContext } from './people-context.js';

/**
 * People a rep's notes list after a key: "Rep: Ankit Deshpande", "Attendees: A (X), B (Y)",
 * "EB: Maria Ortiz (CFO)", "Champion = Dana".
 */

const SELLER_KEYS = /^\s*(?:rep|ae|se|csm|sdr|owner|account owner|opp owner|our side|us)\s*[:=-]\s*/i;
const ATTENDEES =
  /^\s*(?:attendees|participants|present|on the call|call with|met with|meeting with|who)\s*[:=-]?\s+/i;

const NOTE_ROLE_KEYS: { re: RegExp; role: StakeholderRole }[] = [
  { re: /\b(?:EB|economic buyer)\s*(?:[:=-]|is)\s*/i, role: 'economic_buyer' },
  { re: /\b(?:champion|coach)\s*(?:[:=-]|is)\s*/i, role: 'champion' },
  { re: /\b(?:DM|decision[- ]maker)\s*(?:[:=-]|is)\s*/i, role: 'decision_maker' },
  {
    re: /\b(?:tech(?:nical)? (?:eval(?:uator)?|buyer|lead)|TE)\s*(?:[:=-]|is)\s*/i,
    role: 'technical_evaluator',
  },
  { re: /\bblocker\s*(?:[:=-]|is)\s*/i, role: 'blocker' },
  { re: /\b(?:procurement|legal|purchasing)\s*(?:contact)?\s*[:=-]\s*/i, role: 'procurement_legal' },
];

/** What may stand between a role key and the name: "EB: our CFO Maria Ortiz". */
const KEYED_NAME = new RegExp(
  String.raw`^(?:(?:our|their|the)\s+)?(?:([\p{L}&]+(?:\s+[\p{L}&]+){0,3}?)\s+)?(${NAME})`,
  'u',
);

/** "Rep: Ankit Deshpande" is ours; "Attendees: A (X), B (Y)" lists people whatever the brackets say. */
export function listedPeople(ctx: PeopleContext, s: Sentence, found: CandidateSet): void {
  const sellerKey = SELLER_KEYS.exec(s.text);
  const attendees = ATTENDEES.exec(s.text);
  for (const key of [sellerKey, attendees]) {
    if (!key) continue;
    const listRe = new RegExp(String.raw`(?:^|[,;]|\band\b|\+)\s*(${NAME})`, 'gu');
    let m: RegExpExecArray | null;
    while ((m = listRe.exec(s.text.slice(key.index + key[0].length)))) {
      const name = cleanName(m[1]!, ctx.excluded);
      if (!name) continue;
      found.add({
        name,
        title: null,
        company: null,
        side: key === sellerKey ? 'seller' : null,
        role: null,
        evidence: evidenceForSentence(s),
      });
    }
  }
}

/** Deal-note keys name the customer's people with the part they play: the strongest word on a role. */
export function peopleByRoleKey(ctx: PeopleContext, s: Sentence, found: CandidateSet): void {
  for (const { re, role } of NOTE_ROLE_KEYS) {
    const key = re.exec(s.text);
    if (!key) continue;
    const m = KEYED_NAME.exec(s.text.slice(key.index + key[0].length));
    if (!m) continue;
    // "Champion: Dana Whitfield": what precedes the name is a title only if it reads as one.
    const title = m[1] ? splitTitle(m[1]).title : null;
    const name =
      cleanName(m[1] && !title ? `${m[1]} ${m[2]}` : m[2]!, ctx.excluded) ?? cleanName(m[2]!, ctx.excluded);
    if (!name) continue;
    found.add({
      name,
      title,
      company: null,
      side: 'customer',
      role,
      roleStrength: 3,
      evidence: evidenceForSentence(s),
    });
  }
}
