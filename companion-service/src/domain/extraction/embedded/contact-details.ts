import type { ContactDetail, ContactDetailKind, Evidence, Stakeholder } from '../../insights/schema.js';
import type { Conversation } from '../../source/conversation.js';
import type { Sentence } from '../../text/sentences.js';
import { evidenceForSentence } from '../../stages/signal-matcher.js';
import { emailDomain } from '../seller-side.js';
import { emailsIn, isValidEmail, isValidPhone, phonesIn, type Found } from '../contact-values.js';
import { samePerson } from './candidate.js';
import { NAME, hasTitleWord, splitTitle } from './names.js';
import { signatureBlocks, type SignatureBlock } from './signatures.js';

/**
 * What a conversation says about the customer's people that their contact records hold: a title that
 * changed ("Maria is now VP of Operations", "I've moved into the CFO role", "Sam, our new Head of IT"),
 * email addresses and phone numbers, said in passing or written under a signature. Each lands on the
 * one customer person it belongs to, or is left out: a value nobody can be tied to, or one of our own
 * people's, is not a contact detail.
 */

export interface ContactDetailsInput {
  conversation: Conversation;
  sentences: Sentence[];
  /** The people found, with their sides: details attach only to the customer's. */
  stakeholders: Stakeholder[];
  /** Domains our own people write from: an address there is ours, whoever it is said about. */
  sellerDomains: readonly string[];
  extractor: string;
}

/** How sure a detail is, by how it was tied to its person. */
const CONFIDENCE = {
  /** On a labelled line of the person's own signature. */
  signature: 0.9,
  /** Said with the person's name or by the person ("Hannah email:", "my cell is"). */
  named: 0.85,
  /** A title said to have changed, with the person named. */
  titleChange: 0.8,
  /** Tied through a pronoun or the nearest name before it ("his cell", "her email is"). */
  nearby: 0.7,
} as const;

const MOBILE_CUE = /\b(?:mobile|mob|cell(?:phone)?|cell phone|m|handy|text(?:s)?|whatsapp)\b\s*[:.#]?\s*$/i;
const PHONE_CUE =
  /\b(?:phone|tel|telephone|office|direct(?: line| dial)?|desk(?: line)?|line|landline|work|main|t|p|o|d|ph)\b\s*[:.#]?\s*$/i;
const FAX_CUE = /\bfax\b\s*[:.#]?\s*$/i;

/** The words just before a number say what kind it is: "Mobile: +1...", "my cell is 617...". */
function phoneKind(before: string): ContactDetailKind | null {
  const near = before.slice(-40);
  if (FAX_CUE.test(near)) return null;
  const words = near.replace(/\s*(?:is|at|on|:)\s*$/i, '').trimEnd();
  // A labelled line says it outright ("M: +1 ..."); in prose the nearest cue word does ("my cell is").
  if (PHONE_CUE.test(words)) return 'phone';
  return MOBILE_CUE.test(words) || /\b(?:cell|mobile|text)\b/i.test(near) ? 'mobile' : 'phone';
}

export function extractContactDetails(input: ContactDetailsInput): ContactDetail[] {
  const people = new People(input);
  const out: ContactDetail[] = [];
  const add = (person: string | null, kind: ContactDetailKind, value: string, ev: Evidence, c: number) => {
    if (!person || !value) return;
    if (kind === 'email' && (!isValidEmail(value) || people.sellerAddress(value))) return;
    if ((kind === 'phone' || kind === 'mobile') && !isValidPhone(value)) return;
    const same = out.find(
      (d) => d.person === person && d.kind === kind && d.value.toLowerCase() === value.toLowerCase(),
    );
    if (same) return;
    out.push({ person, kind, value, confidence: c, extractor: input.extractor, evidence: ev });
  };
  const signed = signatureBlocks(input.conversation);
  for (const block of signed) signatureDetails(block, people, add);
  // Signature lines in text order, walked once beside the sentences (also in text order).
  const signatureLines = signed.flatMap((b) => b.lines).sort((a, b) => a.start - b.start);
  let next = 0;
  const inSignature = (s: Sentence) => {
    while (
      next < signatureLines.length &&
      signatureLines[next]!.start + signatureLines[next]!.text.length <= s.start
    )
      next++;
    const line = signatureLines[next];
    return !!line && s.start >= line.start;
  };
  input.sentences.forEach((s, i) => {
    if (inSignature(s)) return;
    const earlier = input.sentences.slice(Math.max(0, i - 2), i);
    // Cheap looks first: most sentences say no new title, no address and no number.
    if (CHANGE_CUE.test(s.text)) titleChanges(s, people, add, earlier);
    if (!s.text.includes('@') && !/\d{3}/.test(s.text)) return;
    // The clause before on the same line ("Bruno Costa is now Head of IT; cell +55 ...") leads this one.
    const prev = earlier[earlier.length - 1];
    const sameLine =
      prev && !input.conversation.text.slice(prev.end, s.start).includes('\n') ? prev.text : '';
    for (const email of emailsIn(s.text)) mentioned(s, email, 'email', earlier, sameLine, people, add);
    for (const phone of phonesIn(s.text)) {
      const kind = phoneKind(s.text.slice(0, phone.start));
      if (kind) mentioned(s, phone, kind, earlier, sameLine, people, add);
    }
  });
  return out;
}

type Add = (person: string | null, kind: ContactDetailKind, value: string, ev: Evidence, c: number) => void;

/** Who is who: the customer's people by any of their names, and which addresses are ours. */
class People {
  private readonly customers: Stakeholder[];
  private readonly sellers: Stakeholder[];

  constructor(private readonly input: ContactDetailsInput) {
    this.customers = input.stakeholders.filter((p) => p.affiliation === 'customer');
    this.sellers = input.stakeholders.filter((p) => p.affiliation === 'seller');
  }

  /** The customer's person a name says, or null when it is nobody's, ambiguous, or one of ours. */
  customer(name: string | null): string | null {
    if (!name) return null;
    const tokens = name
      .trim()
      .replace(/['’]s$/, '')
      .split(/\s+/);
    // A run of capitals may carry a word that starts the sentence ("So Carlos Mendes"): the longest
    // part of it that is someone decides.
    for (let length = tokens.length; length >= 1; length--) {
      for (let from = 0; from + length <= tokens.length; from++) {
        const part = tokens.slice(from, from + length).join(' ');
        if (this.sellers.some((p) => samePerson(p.name, part))) return null;
        const hits = this.customers.filter((p) => samePerson(p.name, part));
        if (hits.length === 1) return hits[0]!.name;
        if (hits.length > 1) return null;
      }
    }
    return null;
  }

  /** Who said a sentence, when that is one of the customer's people. */
  speaker(s: Sentence): string | null {
    if (!s.speaker) return null;
    const participant = this.input.conversation.participants.find(
      (p) => p.speakerLabel === s.speaker || p.name === s.speaker,
    );
    if (participant?.email && this.sellerAddress(participant.email)) return null;
    return this.customer(participant?.name ?? s.speaker);
  }

  get isNotes(): boolean {
    return this.input.conversation.format === 'notes';
  }

  sellerAddress(email: string): boolean {
    const domain = emailDomain(email);
    return domain !== null && this.input.sellerDomains.includes(domain);
  }

  /** An address whose local part spells one customer's name: "maria.ortiz@", "mortiz@", "maria@". */
  byAddress(email: string): string | null {
    const local = email.split('@')[0]!.toLowerCase();
    const letters = local.replace(/[^a-z]/g, '');
    const hits = this.customers.filter((p) => {
      const parts = p.name
        .normalize('NFKD')
        .replace(/\p{M}/gu, '')
        .toLowerCase()
        .split(/\s+/)
        .map((w) => w.replace(/[^a-z]/g, ''))
        .filter(Boolean);
      const first = parts[0]!;
      const last = parts[parts.length - 1]!;
      if (parts.length === 1) return letters === first;
      return [
        `${first}${last}`,
        `${first[0]}${last}`,
        `${first}${last[0]}`,
        `${last}${first}`,
        first,
      ].includes(letters);
    });
    return hits.length === 1 ? hits[0]!.name : null;
  }

  /** The last customer person named in a text, by any of their names. */
  lastNamedIn(text: string): string | null {
    let best: { name: string; at: number } | null = null;
    for (const m of text.matchAll(new RegExp(`(?<![\\p{L}])(${NAME})`, 'gu'))) {
      const person = this.customer(m[1]!);
      if (person && (!best || m.index >= best.at)) best = { name: person, at: m.index };
    }
    return best?.name ?? null;
  }
}

/** Each labelled line under a customer's signature: numbers by their label, and the address. */
function signatureDetails(block: SignatureBlock, people: People, add: Add): void {
  const person = people.customer(block.name);
  if (!person) return;
  // A block with one of our addresses in it is ours, whatever the name above it resolved to.
  if (block.lines.some((l) => emailsIn(l.text).some((e) => people.sellerAddress(e.value)))) return;
  for (const line of block.lines) {
    const quote = line.text.trim();
    const at = line.start + line.text.indexOf(quote);
    const evidence = { quote, start: at, end: at + quote.length };
    for (const email of emailsIn(line.text))
      add(person, 'email', email.value, evidence, CONFIDENCE.signature);
    for (const phone of phonesIn(line.text)) {
      const kind = phoneKind(line.text.slice(0, phone.start));
      if (kind) add(person, kind, phone.value, evidence, CONFIDENCE.signature);
    }
  }
}

const DETAIL_WORDS = String.raw`(?:(?:new|direct|work|personal|office|mobile|cell|private|best)\s+)*(?:e-?mail(?:\s+address)?|address|number|phone(?:\s+number)?|cell(?:\s*phone)?|mobile(?:\s+number)?|direct\s+line|desk\s+line|line|landline|tel)`;
/** "Maria's email is", "Maria's cell:" */
const POSSESSIVE = new RegExp(String.raw`(${NAME})['’]s\s+${DETAIL_WORDS}\b[^;]{0,60}$`, 'u');
/** "Hannah email: ..." in a rep's notes. */
const KEYED = new RegExp(String.raw`(${NAME})\s*(?:-\s*)?${DETAIL_WORDS}\s*[:=]\s*[^;]{0,80}$`, 'u');
/** "reach Maria at", "text Oliver on", "Maria Ortiz (" */
const REACH = new RegExp(
  String.raw`(?:reach|call|text|email|e-mail|contact|ping|ring|message|try)\s+(${NAME})\s+(?:at|on|via)\s*$|(${NAME})\s*[(<]\s*$`,
  'u',
);
/** The speaker's own: "my cell is", "reach me at", "I'm on". */
const OWN = /\b(?:my|me\s+(?:at|on|via)|I['’]m\s+(?:at|on)|I\s+am\s+(?:at|on))\b/i;
/** Someone else's, named just before: "his cell", "her email is". */
// Not "their": in sales talk their number is a company's (a support line, a main desk).
const THIRD = /\b(?:his|her)\s+(?:[a-z-]+\s+){0,2}?(?:e-?mail|address|number|phone|cell|mobile|line)\b/i;

/** How far before a detail its owner is looked for, in characters: a sentence's worth. */
const LOOK_BACK = 160;

/** A detail said in a sentence, tied to the person it is said about, or to nobody. */
function mentioned(
  s: Sentence,
  found: Found,
  kind: ContactDetailKind,
  earlier: Sentence[],
  sameLine: string,
  people: People,
  add: Add,
): void {
  // Who a detail belongs to is said just before it; looking further back would make a run-on
  // sentence full of numbers quadratic.
  const before = s.text.slice(Math.max(0, found.start - LOOK_BACK), found.start);
  const evidence = evidenceForSentence(s);
  const named = POSSESSIVE.exec(before) ?? KEYED.exec(before);
  const reach = REACH.exec(before);
  const nameSaid = named?.[1] ?? reach?.[1] ?? reach?.[2] ?? null;
  if (nameSaid) return add(people.customer(nameSaid), kind, found.value, evidence, CONFIDENCE.named);
  const clause = before.split(/[,;]\s+(?=\p{Ll})|\s+(?:and|but)\s+/u).pop() ?? before;
  if (OWN.test(clause)) return add(people.speaker(s), kind, found.value, evidence, CONFIDENCE.named);
  if (kind === 'email') {
    const owner = people.byAddress(found.value);
    if (owner) return add(owner, kind, found.value, evidence, CONFIDENCE.named);
  }
  if (THIRD.test(clause)) {
    const person =
      people.lastNamedIn(before) ??
      people.lastNamedIn(earlier.map((e) => e.text.slice(-LOOK_BACK)).join(' '));
    return add(person, kind, found.value, evidence, CONFIDENCE.nearby);
  }
  // A line of a rep's list that starts with one person: "- Ana Lima (Dir. Finance) - ana@... - +55 ...".
  // Only in a rep's notes, where lines are lists; a speaker's "Maria said our line is" is not Maria's.
  if (!people.isNotes) return;
  // "Cell: (503) ..." after "Mei Chen - new title: ..." on one line: the first lead that is someone.
  const lead = [LINE_LEAD.exec(before), sameLine ? LINE_LEAD.exec(sameLine) : null].find(
    (m) => m && people.customer(m[1]!),
  );
  const between = lead?.input === before ? before.slice(lead[0].length) : before;
  if (lead && !/\b(?:and|or|for|to)\b/i.test(between))
    add(people.customer(lead[1]!), kind, found.value, evidence, CONFIDENCE.nearby);
}

/** A list item or line that opens with a name; what follows on it is about that person. */
const LINE_LEAD = new RegExp(String.raw`^\s*(?:[-*•]\s*)?(${NAME})\b`, 'u');

/** "took over from Petra Novak as COO": who held it before is only said. */
const FROM = String.raw`(?:\s+from\s+${NAME})?`;
const CHANGED_TO = String.raw`(?:is\s+now|has\s+been\s+(?:promoted|named|appointed|made)(?:\s+to)?|was\s+(?:just\s+)?(?:promoted|named|appointed|made)(?:\s+to)?|got\s+promoted\s+to|(?:has\s+)?(?:moved|stepped)\s+(?:up\s+)?into|(?:has\s+)?taken\s+over${FROM}\s+as|took\s+over${FROM}\s+as|is\s+taking\s+over${FROM}\s+as|(?:has\s+)?become|became|is\s+(?:the|our|their)\s+new|is\s+(?:now\s+)?(?:acting|interim))`;
const TITLE = String.raw`((?:[\p{L}&/'’.-]+)(?:\s+[\p{L}&/'’.-]+){0,6})`;
const ARTICLE = String.raw`(?:(?:the|our|their|a|an)\s+(?:new\s+)?)?`;
/** "Maria Ortiz is now VP of Operations", "Carlos has been promoted to COO" */
const NAMED_CHANGE = new RegExp(String.raw`(${NAME})\s+${CHANGED_TO}\s+${ARTICLE}${TITLE}`, 'gu');
/** "I've moved into the CFO role", "I was promoted to Director", "I'm now VP of Operations" */
const OWN_CHANGE = new RegExp(
  String.raw`\bI(?:['’]ve|\s+have|\s+was|\s+got)?\s+(?:just\s+)?(?:been\s+(?:promoted\s+to|named|appointed|made)|promoted\s+to|(?:moved|stepped)\s+(?:up\s+)?into|taken\s+over\s+as|took\s+over\s+as|become|became)\s+${ARTICLE}${TITLE}|\bI(?:['’]m|\s+am)\s+(?:now|the\s+new|now\s+the(?:\s+new)?|now\s+(?:acting|interim))\s+${ARTICLE}${TITLE}`,
  'gu',
);
/** "Priyanka Shah on her promotion to Director", "Sam's appointment as CFO" */
const PROMOTION = new RegExp(
  String.raw`(${NAME})(?:['’]s)?\s+(?:on\s+(?:his|her|their)\s+)?(?:promotion|appointment)\s+(?:to|as)\s+${ARTICLE}${TITLE}`,
  'gu',
);
/** A rep's note: "Mei Chen - new title: Head of Store Systems", "Jonas Weber (now COO)" */
const KEYED_TITLE = new RegExp(
  String.raw`(${NAME})\s*[-–—:,(]\s*(?:new\s+(?:title|role|position)\s*[:=-]|now\b)\s*${ARTICLE}${TITLE}`,
  'gu',
);
/** "Sam Lee, our new Head of IT", "Grace Kim, she's our new VP", "our new Head of IT, Sam Lee" */
const NEW_TITLE_AFTER = new RegExp(
  String.raw`(${NAME}),\s+(?:(?:who|she|he)(?:['’]s|\s+is)\s+(?:now\s+)?)?(?:our|their|the)\s+new\s+${TITLE}`,
  'gu',
);
/** "he's now Director of Facilities", "she has been promoted to CFO": the person named just before. */
const PRONOUN_CHANGE = new RegExp(
  String.raw`\b(?:he|she)(?:['’]s|\s+is|\s+has|\s+was)?\s+(?:just\s+)?(?:now|been\s+(?:promoted\s+to|named|appointed|made)|promoted\s+to|(?:moved|stepped)\s+(?:up\s+)?into|taken\s+over\s+as|took\s+over\s+as|become|became|the\s+new|our\s+new)\s+${ARTICLE}${TITLE}`,
  'giu',
);
const NEW_TITLE_BEFORE = new RegExp(
  String.raw`\b(?:our|their|the)\s+new\s+${TITLE}(?:,\s+|\s+is\s+)(${NAME})`,
  'gu',
);

/** A word every title-change pattern holds; a sentence without one is not read for them. */
const CHANGE_CUE =
  /\b(?:now|promoted|promotion|appointment|moved|stepped|taken|took|taking|became|become|new|named|appointed|made|acting|interim)\b/i;

/** Where a title said in running text ends: "VP of Operations, so ...", "the CFO role as of May". */
const TITLE_END =
  /[,;:()!?]|\.(?:\s|$)|\s(?:role|position|job|seat|so|and|which|who|since|as\s+of|effective|starting|from|after|last|next|this|now|today|here|there|because|while|but|for|to|in|with|on)\b/i;

function cutTitle(raw: string): string | null {
  const end = TITLE_END.exec(raw);
  const candidate = (end ? raw.slice(0, end.index) : raw).trim();
  const { title } = splitTitle(candidate);
  return title && hasTitleWord(title) ? title : null;
}

function titleChanges(s: Sentence, people: People, add: Add, earlier: Sentence[]): void {
  const evidence = evidenceForSentence(s);
  const said = (person: string | null, raw: string | undefined) =>
    add(person, 'title', (raw && cutTitle(raw)) ?? '', evidence, CONFIDENCE.titleChange);
  for (const m of s.text.matchAll(NAMED_CHANGE)) if (!/^I\b/.test(m[1]!)) said(people.customer(m[1]!), m[2]);
  for (const m of s.text.matchAll(OWN_CHANGE)) said(people.speaker(s), m[1] ?? m[2]);
  for (const m of s.text.matchAll(NEW_TITLE_AFTER)) said(people.customer(m[1]!), m[2]);
  for (const m of s.text.matchAll(PROMOTION)) said(people.customer(m[1]!), m[2]);
  for (const m of s.text.matchAll(KEYED_TITLE)) said(people.customer(m[1]!), m[2]);
  for (const m of s.text.matchAll(NEW_TITLE_BEFORE)) said(people.customer(m[2]!), m[1]);
  for (const m of s.text.matchAll(PRONOUN_CHANGE)) {
    // "Grace Kim, she's our new VP" was read above, with its name.
    if (/,\s*$/.test(s.text.slice(Math.max(0, m.index - 3), m.index))) continue;
    const before = s.text.slice(Math.max(0, m.index - LOOK_BACK), m.index);
    const earlierText = earlier.map((e) => e.text.slice(-LOOK_BACK)).join(' ');
    said(people.lastNamedIn(before) ?? people.lastNamedIn(earlierText), m[1]);
  }
}
