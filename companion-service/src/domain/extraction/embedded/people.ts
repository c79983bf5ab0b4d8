import type { Evidence, Stakeholder, StakeholderRole } from '../../insights/schema.js';
import type { Conversation } from '../../source/conversation.js';
import type { Sentence } from '../../text/sentences.js';
import { evidenceForSentence } from '../../stages/signal-matcher.js';
import type { Side } from './sides.js';
import { NAME, cleanName, hasTitleWord, isPlausibleName, splitTitle } from './names.js';
import {
  EB_TITLES,
  LEGAL_TITLES,
  NOT_NAMES,
  PERSONAL_RELATIONS,
  ROLE_CUES,
  SELF_ROLE_CUES,
  SELLER_TITLES,
  TECH_TITLES,
} from './lexicon.js';

/**
 * Stakeholders: who took part and who was named with a part in the deal. Sources, strongest first:
 * Gong parties and email headers, speaker labels, deal-note keys ("EB: Maria Ortiz"), the ways people
 * introduce each other ("Maria Ortiz (CFO)", "our CFO, Maria Ortiz", "Maria, our CFO", "I'm Laura,
 * the project manager"), email signatures, and people named doing something in the deal.
 */
interface Candidate {
  name: string;
  title: string | null;
  company: string | null;
  side: Side | null;
  role: StakeholderRole | null;
  roleStrength: number;
  evidence: Evidence;
  order: number;
}

export interface PeopleInput {
  conversation: Conversation;
  sentences: Sentence[];
  sides: Map<string, Side>;
  /** Names that are organisations, never people (competitors, our own company). */
  organisations: string[];
}

const ROLE_LABELS =
  /^(?:speaker\s*\d*|unknown|rep|sales ?rep|ae|se|customer|prospect|client|buyer|seller|host|guest|interviewer|moderator|agent|caller|me|us|them|project manager|marketing|industrial designer|user interface|[a-z ]*(?:manager|designer|engineer|director|officer|lead|interface|marketing|expert))$/i;

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

export function extractPeople(input: PeopleInput): Stakeholder[] {
  const { conversation, sentences, sides } = input;
  const { text } = conversation;
  const excluded = new Set(input.organisations.map((o) => o.toLowerCase()));
  const candidates: Candidate[] = [];
  let order = 0;

  const add = (c: Omit<Candidate, 'order' | 'roleStrength'> & { roleStrength?: number }) => {
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
    if (ROLE_LABELS.test(p.name.trim()) || !isPlausibleName(p.name, excluded)) continue;
    const evidence =
      (p.evidenceStart !== null ? nameEvidence(p.name, p.evidenceStart) : null) ?? nameEvidence(p.name);
    if (!evidence) continue;
    labelNames.set(label, p.name);
    add({
      name: p.name,
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
        String.raw`(${NAME})(?:,\s+(?:(our|their|your|the|my)\s+)?|\s+(our|their|your|my)\s+)([\p{L}&][\p{L}&.'’ -]{1,60}?)(?=[,.;)\n]|\s+(?:and|who|will|is|was|has|wants|said|needs)\b|$)`,
        'gu',
      ),
      build: (m, s) => {
        const { title, company } = splitTitle(m[4]!);
        if (!title) return null;
        const who = (m[2] ?? m[3])?.toLowerCase();
        const side =
          who === 'our' || who === 'my'
            ? authorSide(s)
            : who
              ? (opposite(authorSide(s)) ?? 'customer')
              : null;
        return { name: m[1]!, title, company, side };
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
        const side =
          who === 'our' || who === 'my'
            ? authorSide(s)
            : who === 'the'
              ? null
              : (opposite(authorSide(s)) ?? 'customer');
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
      // A full name doing something a person does, anywhere: dictated memos have no punctuation.
      re: new RegExp(
        String.raw`(\p{Lu}\p{Ll}+\s+(?:Mc|Mac|O['’])?\p{Lu}\p{Ll}+(?:-\p{Lu}\p{Ll}+)?)\s+(?:${PERSON_VERBS})\b`,
        'gu',
      ),
      build: (m, s) => (PERSONAL_RELATIONS.test(s.text) ? null : { name: m[1]!, title: null, side: null }),
    },
    {
      // People named doing something in the deal: "Priya said the security review is done".
      re: new RegExp(
        String.raw`(?:^|[.;:!?]\s+|\b(?:and|but|so|because|then|with|loop in|looping in|introduce you to|cc'?ing|cc|meet|ask|asked|told|call|email|ping|spoke with|spoke to|talked to|met with)\s+)(${NAME})(?:'s)?(?:\s+(?:${PERSON_VERBS})\b|,\s+who\b)`,
        'gu',
      ),
      build: (m, s) => (PERSONAL_RELATIONS.test(s.text) ? null : { name: m[1]!, title: null, side: null }),
    },
  ];

  for (const s of sentences) {
    for (const hit of possessiveTitleNames(s.text)) {
      const name = cleanName(hit.name, excluded);
      if (!name || nameIsSpeakerRole(name)) continue;
      const who = hit.who.toLowerCase();
      const side =
        who === 'our' || who === 'my'
          ? authorSide(s)
          : who === 'the'
            ? null
            : (opposite(authorSide(s)) ?? 'customer');
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
      const name = cleanName(m[2]!, excluded);
      if (!name) continue;
      add({
        name,
        title: m[1] ? splitTitle(m[1]).title : null,
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
    .filter(
      (c) =>
        !PERSONAL_RELATIONS.test(
          text.slice(Math.max(0, c.evidence.start - 30), c.evidence.start + c.name.length + 2),
        ),
    )
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

function nameIsSpeakerRole(name: string): boolean {
  return ROLE_LABELS.test(name);
}

function roleFromText(text: string): StakeholderRole | null {
  if (/procurement|legal|purchasing/i.test(text)) return 'procurement_legal';
  if (/security|IT|infosec|engineering/i.test(text)) return 'technical_evaluator';
  return null;
}

const SIGN_OFF =
  /^(?:best|best regards|regards|kind regards|warm regards|warmly|thanks|thank you|many thanks|thanks again|cheers|sincerely|talk soon|all the best|thx|--|—)[,.!]?$/i;

/** Email signatures: a sign-off line, then the name, then a title and company on the lines below. */
function signatureCandidates(
  conversation: Conversation,
  excluded: Set<string>,
  sides: Map<string, Side>,
  order: number,
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
      out.push({
        name,
        title,
        company,
        side: isSender && sender.speakerLabel ? (sides.get(sender.speakerLabel) ?? null) : null,
        role: null,
        roleStrength: 0,
        evidence: { quote: nameLine, start: at, end: at + nameLine.length },
        order: order++,
      });
    }
  }
  return out;
}

function samePerson(a: string, b: string): boolean {
  const x = a.toLowerCase();
  const y = b.toLowerCase();
  if (x === y) return true;
  const [xf, ...xr] = x.split(' ');
  const [yf, ...yr] = y.split(' ');
  return xf === yf && (xr.length === 0 || yr.length === 0);
}

function mergeCandidates(candidates: Candidate[]): Candidate[] {
  const merged: Candidate[] = [];
  for (const c of [...candidates].sort((a, b) => a.order - b.order)) {
    const same = merged.find((m) => samePerson(m.name, c.name));
    if (!same) {
      merged.push({ ...c });
      continue;
    }
    if (c.name.length > same.name.length) same.name = c.name;
    if (!same.title && c.title) {
      same.title = c.title;
      if (!same.role) same.evidence = c.evidence;
    }
    same.company ??= c.company;
    same.side ??= c.side;
    if (c.role && c.roleStrength > same.roleStrength) {
      same.role = c.role;
      same.roleStrength = c.roleStrength;
      same.evidence = c.evidence;
    }
  }
  return merged;
}

/** Roles from what a person says of themselves, from what is said about them, else from their title. */
function assignRoles(people: Candidate[], sentences: Sentence[]): void {
  for (const p of people) {
    if (p.roleStrength >= 3) continue;
    const own = sentences.filter((s) => s.speaker && samePerson(s.speaker, p.name));
    for (const s of own) {
      const cue = SELF_ROLE_CUES.find((c) => c.re.test(s.text));
      if (!cue || s.isQuestion) continue;
      p.role = cue.role as StakeholderRole;
      p.roleStrength = 2;
      p.evidence = evidenceForSentence(s);
      break;
    }
    if (p.roleStrength >= 2) continue;
    const first = p.name.split(' ')[0]!;
    const nameRe = new RegExp(`\\b${first.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\b`);
    for (const s of sentences) {
      const named = nameRe.exec(s.text);
      if (!named) continue;
      // In a sentence naming several people, a cue belongs to the name it follows (or to the first
      // name, when it comes before all of them): "Lin Zhao (Dir. Procurement), Raj Mehta (CTO)".
      const starts = people
        .map((o) => s.text.indexOf(o.name.split(' ')[0]!))
        .filter((i) => i >= 0)
        .sort((a, b) => a - b);
      const next = starts.find((i) => i > named.index) ?? s.text.length;
      const isFirst = starts[0] === named.index;
      for (const { role, re } of ROLE_CUES) {
        const cue = re.exec(s.text);
        if (!cue) continue;
        const inSegment =
          (cue.index >= named.index && cue.index < next) || (isFirst && cue.index < named.index);
        if (!inSegment || Math.abs(cue.index - named.index) > 120) continue;
        if (p.roleStrength < 2) {
          p.role = role as StakeholderRole;
          p.roleStrength = 2;
          p.evidence = evidenceForSentence(s);
        }
        break;
      }
      if (p.roleStrength >= 2) break;
    }
    if (p.roleStrength < 2 && p.title) {
      const fromTitle: StakeholderRole | null = EB_TITLES.test(p.title)
        ? 'economic_buyer'
        : LEGAL_TITLES.test(p.title)
          ? 'procurement_legal'
          : TECH_TITLES.test(p.title)
            ? 'technical_evaluator'
            : null;
      if (fromTitle) {
        p.role = fromTitle;
        p.roleStrength = 1;
      }
    }
  }
}

const POSSESSIVE = /\b(our|their|your|my|the customer's|the)\s+/gi;
const CAPITALIZED = /^(?:Mc|Mac|O')?\p{Lu}[\p{Ll}'’]+(?:-\p{Lu}?\p{Ll}+)?$/u;

/**
 * "our CFO, Maria Ortiz", "their VP of Sales Tom Becker", "my boss Dana": a title of one to five
 * words, then a name. Tried at every split, because a regex would settle for "VP of" + "Sales".
 */
export function possessiveTitleNames(text: string): { who: string; title: string | null; name: string }[] {
  const out: { who: string; title: string | null; name: string }[] = [];
  POSSESSIVE.lastIndex = 0;
  let m: RegExpExecArray | null;
  while ((m = POSSESSIVE.exec(text))) {
    const rest = text.slice(m.index + m[0].length, m.index + m[0].length + 90);
    const words = rest.split(/\s+/).slice(0, 9);
    for (let k = 1; k <= 5 && k < words.length; k++) {
      const titleWords = words.slice(0, k);
      if (titleWords.slice(0, -1).some((w) => /[,.;:!?]$/.test(w))) break;
      const title = titleWords.join(' ').replace(/,$/, '');
      const nameWords: string[] = [];
      for (const w of words.slice(k)) {
        const bare = w.replace(/[,.;:!?)]+$/, '');
        if (!CAPITALIZED.test(bare)) break;
        nameWords.push(bare);
        if (bare !== w || nameWords.length === 3) break;
      }
      if (nameWords.length === 0 || NOT_NAMES.has(nameWords[0]!.toLowerCase())) continue;
      if (/\b(?:of|for|and|at|in|the)$/i.test(title)) continue;
      const boss = /^(?:boss|manager|champion|contact|sponsor|counterpart)$/i.test(title);
      const parsed = splitTitle(title).title;
      if (!parsed && !boss) continue;
      out.push({ who: m[1]!, title: parsed ?? null, name: nameWords.join(' ') });
      break;
    }
  }
  return out;
}
