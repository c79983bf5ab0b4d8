import type { Evidence, Stakeholder, StakeholderRole } from '../../insights/schema.js';
import type { Conversation } from '../../source/conversation.js';
import type { Sentence } from '../../text/sentences.js';
import { evidenceForSentence } from '../../stages/signal-matcher.js';
import type { Side } from './sides.js';
import { NAME, cleanName, isPlausibleName, splitTitle, withoutHonorific } from './names.js';
import { PERSONAL_RELATIONS, SELLER_TITLES } from './lexicon.js';
import { mergeCandidates, type Candidate } from './candidate.js';
import { assignRoles, roleFromText } from './roles.js';
import { signatureCandidates } from './signatures.js';
import { possessiveTitleNames } from './possessive-titles.js';

export interface PeopleInput {
  conversation: Conversation;
  sentences: Sentence[];
  sides: Map<string, Side>;
  /** Names that are organisations, never people (competitors, our own company). */
  organisations: string[];
}

const ROLE_LABELS =
  /^(?:speaker\s*\d*|unknown|rep|sales ?rep|ae|se|customer|prospect|client|buyer|seller|host|guest|interviewer|moderator|agent|caller|me|us|them|project manager|marketing|industrial designer|user interface|[a-z ]*(?:manager|designer|engineer|director|officer|lead|interface|marketing|expert))$/i;

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

// Verbs only people do: "Acme has 2,000 employees" and "Revenue is up" must not make people.
const PERSON_VERBS =
  'said|says|mentioned|asked|asks|told|thinks|thought|wants|wanted|needs|needed|will|signs|signed|approves|approved|owns|runs|leads|manages|confirmed|agreed|joined|left|raised|pushed|prefers|loves|liked|likes|introduced|sent|emailed|called|suggested|proposed|requested|flagged|noted|explained|shared|promised|committed|owes|reports|handles|heads|oversees|is leaving|has left|is out|is on leave|replied|responded|went quiet|went dark|ghosted';

/**
 * Stakeholders: who took part and who was named with a part in the deal. Sources, strongest first:
 * Gong parties and email headers, speaker labels, deal-note keys ("EB: Maria Ortiz"), the ways people
 * introduce each other ("Maria Ortiz (CFO)", "our CFO, Maria Ortiz", "Maria, our CFO", "I'm Laura,
 * the project manager"), email signatures, and people named doing something in the deal.
 */
export function extractPeople(input: PeopleInput): Stakeholder[] {
  const { conversation, sentences, sides } = input;
  const { text } = conversation;
  const excluded = new Set(input.organisations.map((o) => o.toLowerCase()));
  const candidates: Candidate[] = [];
  let order = 0;

  // A person said the same way twice adds nothing: long calls repeat names hundreds of times.
  const seen = new Set<string>();
  const add = (c: Omit<Candidate, 'order' | 'roleStrength'> & { roleStrength?: number }) => {
    const key = `${c.name}|${c.title}|${c.side}|${c.role}|${c.company}`;
    if (seen.has(key)) return;
    seen.add(key);
    candidates.push({ roleStrength: c.role ? 1 : 0, ...c, order: order++ });
  };
  const nameEvidence = (name: string, from = 0): Evidence | null => {
    const at = text.indexOf(name, from);
    return at >= 0 ? { quote: name, start: at, end: at + name.length } : null;
  };

  // 1. Participants the source lists.
  const labelNames = new Map<string, string>();
  for (const p of conversation.participants) {
    const label = p.speakerLabel ?? p.name;
    const personName = withoutHonorific(p.name.trim());
    if (ROLE_LABELS.test(personName) || !isPlausibleName(personName, excluded)) continue;
    const evidence =
      (p.evidenceStart !== null ? nameEvidence(p.name, p.evidenceStart) : null) ?? nameEvidence(p.name);
    if (!evidence) continue;
    labelNames.set(label, p.name);
    add({
      name: personName,
      title: p.title,
      company: p.company,
      side: sides.get(label) ?? sides.get(p.name) ?? null,
      role: null,
      evidence,
    });
  }

  // 2. What people say about themselves and each other.
  const sideOfSpeaker = (s: Sentence): Side | null => (s.speaker ? (sides.get(s.speaker) ?? null) : null);
  const opposite = (side: Side | null): Side | null =>
    side === 'seller' ? 'customer' : side === 'customer' ? 'seller' : null;
  const inNotes = conversation.format === 'notes';
  const authorSide = (s: Sentence): Side | null => sideOfSpeaker(s) ?? (inNotes ? 'seller' : null);
  /** "our CFO" is the speaker's side, "their CFO" the other side, "the CFO" nobody's in particular. */
  const sideOfPossessive = (who: string | undefined, s: Sentence): Side | null =>
    who === 'our' || who === 'my'
      ? authorSide(s)
      : who === 'the' || !who
        ? null
        : (opposite(authorSide(s)) ?? 'customer');

  // Once per sentence, not once per name in it: a dictated memo is one sentence naming many people.
  const relations = new WeakMap<Sentence, boolean>();
  const talksOfRelations = (s: Sentence) => {
    let found = relations.get(s);
    if (found === undefined) relations.set(s, (found = PERSONAL_RELATIONS.test(s.text)));
    return found;
  };
  const patterns: { re: RegExp; build: (m: RegExpExecArray, s: Sentence) => Partial<Candidate> | null }[] = [
    {
      // "Maria Ortiz (CFO)", "Dana (VP Ops, Fabrikam)"
      re: new RegExp(String.raw`(${NAME})\s*\(([^()\n]{2,60})\)`, 'gu'),
      build: (m) => {
        // "(VP Ops, Fabrikam)" or "(Fabrikam, Dir. Procurement)": whichever part is a title.
        const parts = m[2]!.split(/[,;]/).map((p) => p.trim());
        const at = parts.findIndex((p) => splitTitle(p).title);
        const { title, company } = at >= 0 ? splitTitle(parts[at]!) : { title: null, company: null };
        // "(our SE)" and "(ours)" are our people; "(VP Data, our champion)" is theirs.
        const side = /\b(?:ours|us|our (?:AE|SE|CSM|side|team|solutions|sales|rep|manager)|AE|SE|CSM)\b/.test(
          m[2]!,
        )
          ? ('seller' as Side)
          : /\bour champion\b/i.test(m[2]!)
            ? ('customer' as Side)
            : null;
        return title || side
          ? { name: m[1]!, title, company: company ?? parts.find((_, i) => i !== at) ?? null, side }
          : null;
      },
    },
    {
      // "Maria Ortiz, our CFO", "Dana Whitfield, VP of Operations at Fabrikam"
      re: new RegExp(
        String.raw`(${NAME})(?:,\s+(?:(our|their|your|the|my)\s+)?|\s+(our|their|your|my)\s+)([\p{L}&][\p{L}&.'’ -]{1,60}?)(?=[,.;)\n]|\s+(?:and|who|will|is|was|has|wants|said|needs|got|had|says|mentioned|told|asked|thinks|would|can|could|so|but|because|which|that|to|for|from|at|on|in)\b|$)`,
        'gu',
      ),
      build: (m, s) => {
        const { title, company } = splitTitle(m[4]!);
        if (!title) return null;
        const who = (m[2] ?? m[3])?.toLowerCase();
        return { name: m[1]!, title, company, side: sideOfPossessive(who, s) };
      },
    },
    {
      // "Maria is our CFO", "Tom Becker is the head of IT"
      re: new RegExp(
        String.raw`(${NAME})\s+(?:is|as)\s+(our|their|your|the|my)\s+([\p{L}&][\p{L}&.'’ -]{1,50}?)(?=[,.;\n]|\s+(?:and|who|so|but)\b|$)`,
        'gu',
      ),
      build: (m, s) => {
        const { title } = splitTitle(m[3]!);
        if (!title) return null;
        const who = m[2]!.toLowerCase();
        const side = sideOfPossessive(who, s);
        return { name: m[1]!, title, side };
      },
    },
    {
      // "I'm Laura and I'm the project manager", "this is Dana from Fabrikam", "my name is Roger"
      re: new RegExp(
        String.raw`\b(?:I'm|I am|this is|my name is|it's)\s+(${NAME})(?:\s+(?:from|at|with)\s+(\p{Lu}[\w&.-]*(?:\s+\p{Lu}[\w&.-]*){0,2}))?(?:,?\s+(?:and\s+)?(?:I'm|I am)?\s*(?:the|a|an|our)?\s*([\p{L} -]{2,40}?))?(?=[,.;!?\n]|$)`,
        'gu',
      ),
      build: (m, s) => {
        if (!s.speaker && !inNotes && conversation.format !== 'email') return null;
        const { title } = m[3] ? splitTitle(m[3]) : { title: null };
        const labelTitle =
          s.speaker && ROLE_LABELS.test(s.speaker) && !/^speaker/i.test(s.speaker) ? s.speaker : null;
        if (s.speaker && !labelNames.has(s.speaker)) labelNames.set(s.speaker, m[1]!);
        return { name: m[1]!, title: title ?? labelTitle, company: m[2] ?? null, side: sideOfSpeaker(s) };
      },
    },
    {
      // A speaker's own title: "I'm the Director of Customer Support at Acme Health", "I run IT here".
      re: /\b(?:I'm|I am)\s+(?:the|a|an|our)\s+([\p{L}&][\p{L}&.'’ -]{2,60}?)(?:\s+(?:here\s+)?(?:at|with|for|from)\s+(\p{Lu}[\w&.-]*(?:\s+\p{Lu}[\w&.-]*){0,2}))?(?=[,.;!?\n]|\s+(?:and|so|but|who)\b|$)/gu,
      build: (m, s) => {
        if (!s.speaker) return null;
        const { title } = splitTitle(m[1]!);
        const name = labelNames.get(s.speaker) ?? s.speaker;
        return title ? { name, title, company: m[2] ?? null, side: sideOfSpeaker(s) } : null;
      },
    },
    {
      // "Priya from procurement", "Tom from Fabrikam's IT team"
      re: new RegExp(
        String.raw`(${NAME})\s+(?:from|in|on)\s+(?:the\s+)?(procurement|legal|purchasing|finance|security|IT|infosec|engineering|ops|operations)\b`,
        'gu',
      ),
      build: (m, s) => ({
        name: m[1]!,
        title: null,
        side: opposite(authorSide(s)) === 'customer' || inNotes ? 'customer' : null,
        role: roleFromText(m[2]!),
      }),
    },
    {
      // "Kenji Mori from our IT team", "Ahmed Karimi in our legal team", "Rachel Adeyemi here, I run finance".
      re: new RegExp(
        String.raw`(${NAME})\s+(?:(?:from|in|on|with)\s+(our|their|the|your)\s+([\p{L} ]{2,30}?)\s+(?:team|department|group|side|org)|here,)`,
        'gu',
      ),
      build: (m, s) => {
        const who = m[2]?.toLowerCase();
        const side =
          who === 'our'
            ? authorSide(s)
            : who === 'their' || who === 'your'
              ? (opposite(authorSide(s)) ?? 'customer')
              : sideOfSpeaker(s);
        return { name: m[1]!, title: null, side, role: m[3] ? roleFromText(m[3]) : null };
      },
    },
    {
      // Meeting someone is naming a person: "talked to Ravi Shankar from their PMO", "call with uh Jean-Baptiste Moreau".
      re: new RegExp(
        String.raw`\b(?:talked to|talked with|spoke (?:to|with)|met with|meeting with|call with|got off the call with|looping in|loop in|looped in|introduce you to|introduced me to|cc'?ing|cc'?d|ping|pinged|emailed|texted|heard (?:back )?from|(?:radio )?silence from|nothing from|no (?:reply|response|answer) from|hand(?:ed|ing)? (?:it )?off to|coffee (?:w\/|with)|met w\/|notes by|written by|chaired by|signed by|approved by)\s+(?:(?:uh|um|er|like)\s+)?(${NAME})`,
        'gu',
      ),
      build: (m, s) =>
        PERSONAL_RELATIONS.test(s.text.slice(Math.max(0, m.index - 20), m.index))
          ? null
          : { name: m[1]!, title: null, side: null },
    },
    {
      // "Her replacement as Head of Talent Acquisition is Mateus Carvalho", "the new CFO is Dana Lee".
      re: new RegExp(
        String.raw`\b(?:as|the|our|their|new)\s+((?:[\p{L}&-]+\s+){0,5}?[\p{L}&-]+)\s+(?:is|will be|was)\s+(${NAME})`,
        'gu',
      ),
      build: (m) => {
        const { title } = splitTitle(m[1]!);
        return title ? { name: m[2]!, title, side: null } : null;
      },
    },
    {
      // An acronym title before a name: "CSM Bogdan Petrović", "the new CMO Obinna Eze".
      re: new RegExp(String.raw`\b((?:C[A-Z]O|CISO|VP|SVP|EVP|CSM|AE|SE|SDR|BDR|GM))\s+(${NAME})`, 'gu'),
      build: (m, s) => ({
        name: m[2]!,
        title: m[1]!,
        side: /^(?:CSM|AE|SE|SDR|BDR)$/.test(m[1]!)
          ? ('seller' as Side)
          : authorSide(s) === 'seller' && /\bour\b/i.test(s.text.slice(Math.max(0, m.index - 6), m.index))
            ? 'seller'
            : null,
      }),
    },
    {
      // "Helga Sørensen their VP of customer experience", "Jean-Baptiste Moreau he's the controller".
      re: new RegExp(
        String.raw`(${NAME})\s+(?:he's|she's|who's|is)\s+(?:the|their|our|a|an)\s+([\p{L}&][\p{L}&.'’ -]{1,50}?)(?=[,.;\n]|\s+(?:over|at|for|from|and|so|but|who|got|said|wants|was|is)\b|$)`,
        'gu',
      ),
      build: (m) => {
        const { title } = splitTitle(m[2]!);
        return title ? { name: m[1]!, title, side: null } : null;
      },
    },
    {
      // A full name doing something a person does, anywhere: dictated memos have no punctuation.
      re: new RegExp(
        String.raw`(\p{Lu}\p{Ll}+\s+(?:Mc|Mac|O['’])?\p{Lu}\p{Ll}+(?:-\p{Lu}\p{Ll}+)?)\s+(?:${PERSON_VERBS})\b`,
        'gu',
      ),
      build: (m, s) => (talksOfRelations(s) ? null : { name: m[1]!, title: null, side: null }),
    },
    {
      // People named doing something in the deal: "Priya said the security review is done".
      re: new RegExp(
        String.raw`(?:^|[.;:!?]\s+|\b(?:and|but|so|because|then|with|loop in|looping in|introduce you to|cc'?ing|cc|meet|ask|asked|told|call|email|ping|spoke with|spoke to|talked to|met with)\s+)(${NAME})(?:'s)?(?:\s+(?:has\s+|had\s+|just\s+|also\s+|already\s+)?(?:${PERSON_VERBS})\b|,\s+who\b)`,
        'gu',
      ),
      build: (m, s) => (talksOfRelations(s) ? null : { name: m[1]!, title: null, side: null }),
    },
  ];

  for (const s of sentences) {
    for (const hit of possessiveTitleNames(s.text)) {
      const name = cleanName(hit.name, excluded);
      if (!name || nameIsSpeakerRole(name)) continue;
      const who = hit.who.toLowerCase();
      const side = sideOfPossessive(who, s);
      add({ name, title: hit.title, company: null, side, role: null, evidence: evidenceForSentence(s) });
    }
    for (const { re, build } of patterns) {
      re.lastIndex = 0;
      let m: RegExpExecArray | null;
      while ((m = re.exec(s.text))) {
        const partial = build(m, s);
        if (!partial?.name) continue;
        const name = cleanName(partial.name, excluded);
        if (!name || nameIsSpeakerRole(name)) continue;
        add({
          name,
          title: partial.title ?? null,
          company: partial.company ?? null,
          side: partial.side ?? null,
          role: partial.role ?? null,
          evidence: evidenceForSentence(s),
        });
      }
    }
    // "Rep: Ankit Deshpande" is ours; "Attendees: A (X), B (Y)" lists people whatever the brackets say.
    const sellerKey = SELLER_KEYS.exec(s.text);
    const attendees = ATTENDEES.exec(s.text);
    for (const key of [sellerKey, attendees]) {
      if (!key) continue;
      const listRe = new RegExp(String.raw`(?:^|[,;]|\band\b|\+)\s*(${NAME})`, 'gu');
      let m: RegExpExecArray | null;
      while ((m = listRe.exec(s.text.slice(key.index + key[0].length)))) {
        const name = cleanName(m[1]!, excluded);
        if (!name) continue;
        add({
          name,
          title: null,
          company: null,
          side: key === sellerKey ? 'seller' : null,
          role: null,
          evidence: evidenceForSentence(s),
        });
      }
    }
    // Deal-note keys: "EB: Maria Ortiz (CFO)", "Champion = Dana".
    for (const { re, role } of NOTE_ROLE_KEYS) {
      const key = re.exec(s.text);
      if (!key) continue;
      const rest = s.text.slice(key.index + key[0].length);
      const m = new RegExp(
        String.raw`^(?:(?:our|their|the)\s+)?(?:([\p{L}&]+(?:\s+[\p{L}&]+){0,3}?)\s+)?(${NAME})`,
        'u',
      ).exec(rest);
      if (!m) continue;
      // "Champion: Dana Whitfield": what precedes the name is a title only if it reads as one.
      const title = m[1] ? splitTitle(m[1]).title : null;
      const name =
        cleanName(m[1] && !title ? `${m[1]} ${m[2]}` : m[2]!, excluded) ?? cleanName(m[2]!, excluded);
      if (!name) continue;
      add({
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
  candidates.push(...signatureCandidates(conversation, excluded, sides, order));

  // A name that is someone's company ("Lin Zhao (Adatum, Dir. Procurement)") is an organisation.
  const companies = new Set(candidates.map((c) => c.company?.toLowerCase()).filter(Boolean));
  const merged = mergeCandidates(candidates.filter((c) => !companies.has(c.name.toLowerCase())));
  assignRoles(merged, sentences);
  return merged
    .filter((c) => !namedAsRelation(text, c.name) && !tailOfLongerName(text, c.name, sides))
    .map((c) => {
      const affiliation: Side = c.side ?? (c.title && SELLER_TITLES.test(c.title) ? 'seller' : 'customer');
      return {
        name: c.name,
        title: c.title,
        role: affiliation === 'customer' ? c.role : null,
        affiliation,
        evidence: c.evidence,
      };
    });
}

/** "her partner Tomasz", "my brother-in-law Mike": family and friends, wherever the name appears. */
function namedAsRelation(text: string, name: string): boolean {
  const first = name.split(' ')[0]!;
  let at = text.indexOf(first);
  let relations = 0;
  let mentions = 0;
  while (at >= 0) {
    mentions++;
    // Only the words just before the name, within its own sentence, say who they are to the speaker.
    const before =
      text
        .slice(Math.max(0, at - 30), at)
        .split(/[.!?\n]/)
        .pop() ?? '';
    if (PERSONAL_RELATIONS.test(before)) relations++;
    at = text.indexOf(first, at + first.length);
  }
  return mentions > 0 && relations === mentions;
}

/** "Foods" in "Halden Foods": a one-word name that only ever ends a longer proper noun is not a person. */
function tailOfLongerName(text: string, name: string, sides: Map<string, Side>): boolean {
  if (name.includes(' ') || sides.has(name)) return false;
  const alone = new RegExp(
    `(?<!\\p{Lu}[\\p{Ll}.]*\\s)\\b${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\b`,
    'u',
  );
  return !alone.test(text);
}

function nameIsSpeakerRole(name: string): boolean {
  return ROLE_LABELS.test(name);
}
