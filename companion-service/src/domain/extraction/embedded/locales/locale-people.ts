import type { Stakeholder, StakeholderRole } from '../../../insights/schema.js';
import type { Conversation } from '../../../source/conversation.js';
import type { Sentence } from '../../../text/sentences.js';
import { evidenceForSentence } from '../../../stages/signal-matcher.js';
import type { Side } from '../sides.js';
import type { Lexicon } from './lexicon.js';
import { WORD_EDGE } from './spanish-words.js';
import { CHINESE_SURNAME, CHINESE_TITLE_SUFFIX } from '../../../text/chinese-names.js';

/**
 * People as Chinese and Spanish name them, added to those the English steps found (speaker labels
 * and email headers in Latin letters are theirs already):
 * - Chinese: full names in headers and speaker labels ("李娜"), before a bracketed title
 *   ("刘芳（运营总监）"), or with a title said of them ("赵强是我们的IT负责人"); a surname with a
 *   title ("王总", "李经理", "张先生", "孙律师"), which is one person with the full name of that
 *   surname when the conversation has exactly one.
 * - Spanish: "el señor García", "la Sra. Ortega", "la directora financiera, Elena Ruiz",
 *   "Lucía Fernández (Directora de Operaciones)", "nuestra gerente de TI, Paola Herrera".
 */

const SURNAME = CHINESE_SURNAME;
const ZH_TITLE_SUFFIX = CHINESE_TITLE_SUFFIX;
/** What follows a Chinese name and is not part of it. */
const AFTER_NAME = String.raw`(?=[是说会在跟和与的，。、（(：:负要也已将把从对给下本明今后这那吧呢啊您你他她我]|$|\s)`;

const HAN_NAME = /^\p{Script=Han}{2,4}$/u;
const ZH_SURNAME_TITLE = new RegExp(String.raw`${SURNAME}${ZH_TITLE_SUFFIX}`, 'gu');
const ZH_BRACKETED = new RegExp(
  String.raw`(${SURNAME}\p{Script=Han}{1,2}?)[（(]([^（）()\n]{2,30})[）)]`,
  'gu',
);
const ZH_NAME_IS = new RegExp(
  String.raw`(${SURNAME}\p{Script=Han}{1,2}?)${AFTER_NAME}是(?:我们|我方|他们|贵方)?的?([^，。；\n]{1,16}?)(?=[，。；\n]|$)`,
  'gu',
);

const ES_NAME = String.raw`\p{Lu}[\p{Ll}áéíóúñü]+(?:\s+(?:de\s+la\s+|de\s+|del\s+)?\p{Lu}[\p{Ll}áéíóúñü]+)?`;
const ES_HONORIFIC = new RegExp(
  String.raw`${WORD_EDGE}(?:[Ee]l\s+[Ss]eñor|[Ll]a\s+[Ss]eñora|[Ee]l\s+Sr\.|[Ll]a\s+Sra\.|[Dd]on|[Dd]oña)\s+(${ES_NAME})`,
  'gu',
);
const ES_TITLE_THEN_NAME = new RegExp(
  String.raw`${WORD_EDGE}(?:[Ee]l|[Ll]a|[Nn]uestr[oa]|[Vv]uestr[oa]|[Ss]u)\s+((?:director[a]?|directora|gerente|jef[ea]|responsable|coordinador[a]?|president[ea]|consejer[oa]|abogad[oa]|ingenier[oa])(?:\s+[\p{Ll}áéíóú]+){0,3}(?:\s+de\s+\p{L}+)?),\s+(${ES_NAME})`,
  'gu',
);
/** A full name doing what people do: "Diego Salas dejó la empresa", "Elena Ruiz aprobó el presupuesto". */
const ES_NAME_ACTING = new RegExp(
  String.raw`(\p{Lu}[\p{Ll}áéíóúñü]+\s+\p{Lu}[\p{Ll}áéíóúñü]+)\s+(?:ya\s+|también\s+|no\s+)?(?:dijo|dice|comentó|firmó|firma|aprobó|aprueba|dejó|se fue|renunció|quiere|quería|pidió|envió|mandó|llamó|escribió|confirmó|prefiere|lidera|dirige|decide|decidió|está|estaba|era|es|será|enviará|presentará|revisará|llamará)${WORD_EDGE}`,
  'gu',
);
const ES_BRACKETED = new RegExp(String.raw`(${ES_NAME})\s*\(([^()\n]{2,50})\)`, 'gu');
const ES_NAME_COMMA_TITLE = new RegExp(
  String.raw`(${ES_NAME}),\s+(?:nuestr[oa]|su|el|la)\s+((?:director[a]?|gerente|jef[ea]|responsable|coordinador[a]?|president[ea]|abogad[oa])(?:\s+[\p{Ll}áéíóú]+){0,3})`,
  'gu',
);

interface Found {
  name: string;
  title: string | null;
  side: Side | null;
  sentence: Sentence;
}

export interface LocalePeopleInput {
  conversation: Conversation;
  sentences: Sentence[];
  sides: Map<string, Side>;
  lexicon: Lexicon;
  /** The people the English steps found. */
  found: Stakeholder[];
  /** Names that are organisations or our own company, never people. */
  excluded: Set<string>;
}

export function addLocalePeople(input: LocalePeopleInput): Stakeholder[] {
  const { sentences, lexicon, conversation, sides } = input;
  const found: Found[] = [];
  const add = (f: Found) => {
    if (input.excluded.has(f.name.toLowerCase())) return;
    found.push(f);
  };
  // Participants in Han characters (email headers, speaker labels) the English steps leave out.
  for (const p of conversation.participants) {
    const name = p.name.trim();
    if (!HAN_NAME.test(name)) continue;
    const s = sentences.find((x) => x.text.includes(name)) ?? headerSentence(conversation, name);
    if (s)
      add({
        name,
        title: p.title,
        side: sides.get(p.speakerLabel ?? name) ?? sides.get(name) ?? null,
        sentence: s,
      });
  }
  for (const s of sentences) {
    if (s.speaker && HAN_NAME.test(s.speaker))
      add({ name: s.speaker, title: null, side: sides.get(s.speaker) ?? null, sentence: s });
    const ours = lexicon.ourSide.test(s.text);
    if (lexicon.language === 'zh') {
      for (const m of s.text.matchAll(ZH_BRACKETED)) add(titled(m[1]!, m[2]!, s, lexicon, ours, m.index));
      for (const m of s.text.matchAll(ZH_NAME_IS))
        if (lexicon.titleWords.test(m[2]!))
          add({ name: m[1]!, title: m[2]!.trim(), side: null, sentence: s });
      for (const m of s.text.matchAll(ZH_SURNAME_TITLE))
        add({ name: m[0], title: null, side: null, sentence: s });
    } else {
      for (const m of s.text.matchAll(ES_BRACKETED))
        if (lexicon.titleWords.test(m[2]!)) add(titled(m[1]!, m[2]!, s, lexicon, ours, m.index));
      for (const m of s.text.matchAll(ES_HONORIFIC))
        add({ name: m[1]!, title: null, side: null, sentence: s });
      for (const m of s.text.matchAll(ES_TITLE_THEN_NAME))
        add({ name: m[2]!, title: m[1]!, side: null, sentence: s });
      for (const m of s.text.matchAll(ES_NAME_COMMA_TITLE))
        add({ name: m[1]!, title: m[2]!, side: null, sentence: s });
      for (const m of s.text.matchAll(ES_NAME_ACTING))
        add({ name: m[1]!, title: null, side: null, sentence: s });
    }
  }
  return merge(input, found);
}

/** "陈静（晨光医疗 采购经理）", "Kevin Zhang（客户经理）" after "我方：": the title, and our side when it says so. */
function titled(
  name: string,
  inside: string,
  s: Sentence,
  lexicon: Lexicon,
  ours: boolean,
  at: number,
): Found {
  // "(Directora de Operaciones)", "(晨光医疗 采购经理)", "(Acme, CFO)": the part that holds a title word.
  const part =
    inside
      .split(/[,，、;；]/u)
      .find((p) => lexicon.titleWords.test(p))
      ?.trim() ?? null;
  const title =
    part && lexicon.language === 'zh'
      ? (part.split(/\s+/).find((p) => lexicon.titleWords.test(p)) ?? part)
      : part;
  const ourMark = lexicon.ourSide.exec(s.text);
  const side: Side | null =
    (title && lexicon.sellerTitles.test(title)) || (ours && ourMark && ourMark.index < at) ? 'seller' : null;
  return { name, title, side, sentence: s };
}

/** A header line holds the name ("From: 李娜 <...>"): its sentence, as the conversation's text has it. */
function headerSentence(conversation: Conversation, name: string): Sentence | null {
  const at = conversation.text.indexOf(name);
  if (at < 0) return null;
  const start = conversation.text.lastIndexOf('\n', at) + 1;
  const nl = conversation.text.indexOf('\n', at);
  const end = nl < 0 ? conversation.text.length : nl;
  return { start, end, text: conversation.text.slice(start, end), speaker: null, isQuestion: false };
}

/** A surname with a title ("陈经理") is the one full name of that surname, when there is exactly one. */
function canonicalName(name: string, fullNames: string[]): string {
  const title = new RegExp(String.raw`^(${SURNAME})${ZH_TITLE_SUFFIX}$`, 'u').exec(name);
  if (!title) return name;
  const same = fullNames.filter(
    (n) => n !== name && n.startsWith(title[1]!) && !new RegExp(`${ZH_TITLE_SUFFIX}$`, 'u').test(n),
  );
  return same.length === 1 ? same[0]! : name;
}

/** A signature: the name alone on its line, the title on the next ("Carmen López" / "Responsable de Compras"). */
function signatureTitle(text: string, name: string, lexicon: Lexicon): string | null {
  const lines = text.split('\n');
  for (let i = lines.length - 2; i >= 0; i--) {
    if (lines[i]!.trim() !== name) continue;
    const next = lines[i + 1]!.trim();
    return next.length > 0 && next.length <= 60 && lexicon.titleWords.test(next) ? next : null;
  }
  return null;
}

function roleOf(
  person: { name: string; title: string | null },
  others: string[],
  sentences: Sentence[],
  lexicon: Lexicon,
): StakeholderRole | null {
  // A Latin name is said again by its first name ("Diego era quien estaba impulsando el proyecto").
  const forms = /\p{Script=Han}/u.test(person.name)
    ? [person.name]
    : [person.name, person.name.split(' ')[0]!];
  for (const s of sentences) {
    const at = forms.map((f) => s.text.indexOf(f)).find((i) => i >= 0) ?? -1;
    if (at < 0 || s.isQuestion) continue;
    // What is said of the person: their clause ("赵强是我们的IT负责人，由他负责技术评估"), and within it
    // only their part when it names others too ("Rosa Díaz (Directora Financiera), Luis Prado (Jefe de TI)").
    let from = 0;
    let to = s.text.length;
    for (const m of s.text.matchAll(/[，。；;]/gu)) {
      if (m.index < at) from = m.index + 1;
      else {
        to = m.index;
        break;
      }
    }
    for (const other of others) {
      if (forms.includes(other) || person.name.includes(other) || other.includes(person.name)) continue;
      const i = s.text.indexOf(other, from);
      if (i < 0 || i >= to) continue;
      // Someone named before: what comes between was said of them, so the person's part starts at their name.
      if (i < at) from = Math.max(from, at);
      else to = Math.min(to, i);
    }
    const cue = lexicon.roles.find((r) => r.re.test(s.text.slice(from, to)));
    if (cue) return cue.role;
  }
  if (person.title) return lexicon.roles.find((r) => r.re.test(person.title!))?.role ?? null;
  return null;
}

function merge(input: LocalePeopleInput, found: Found[]): Stakeholder[] {
  const out = input.found.map((p) => ({ ...p }));
  const fullNames = [...new Set([...found.map((f) => f.name), ...out.map((p) => p.name)])];
  for (const f of found) {
    const name = canonicalName(f.name, fullNames);
    const existing = out.find(
      (p) => p.name === name || (name.includes(' ') && p.name === name.split(' ')[0]),
    );
    if (existing) {
      existing.title ??= f.title;
      if (f.side && existing.affiliation !== f.side && f.side === 'seller') existing.affiliation = 'seller';
      continue;
    }
    const side = f.side ?? input.sides.get(name) ?? null;
    out.push({
      name,
      title: f.title,
      role: null,
      affiliation: side ?? (f.title && input.lexicon.sellerTitles.test(f.title) ? 'seller' : 'customer'),
      evidence: evidenceForSentence(f.sentence),
    });
  }
  for (const p of out) {
    p.title ??= signatureTitle(input.conversation.text, p.name, input.lexicon);
    if (p.affiliation === 'seller') {
      p.role = null;
      continue;
    }
    p.role ??= roleOf(
      p,
      out.map((o) => o.name),
      input.sentences,
      input.lexicon,
    );
  }
  return out;
}
