import type { Sentence } from '../../text/sentences.js';
import { evidenceForSentence } from '../../stages/signal-matcher.js';
import type { Candidate } from './candidate.js';
import { PERSONAL_RELATIONS } from './lexicon.js';
import { NAME, cleanName, splitTitle } from './names.js';
import {
  authorSide,
  isSpeakerRole,
  opposite,
  sideOfPossessive,
  sideOfSpeaker,
  type CandidateSet,
  type PeopleContext,
} from './people-context.js';
import { roleFromText } from './roles.js';
import type { Side } from './sides.js';

/**
 * The ways people introduce themselves and each other ("Maria Ortiz (CFO)", "Maria, our CFO",
 * "I'm Laura, the project manager", "talked to Ravi Shankar"), one pattern each, tried in this
 * order on every sentence. Each reads its match into what it says of the person, or null when the
 * match turns out to say nothing of one.
 */

type Found = Partial<Candidate> | null;

interface Introduction {
  re: RegExp;
  read: (m: RegExpExecArray, s: Sentence, ctx: PeopleContext) => Found;
}

// Verbs only people do: "Acme has 2,000 employees" and "Revenue is up" must not make people.
const PERSON_VERBS =
  'said|says|mentioned|asked|asks|told|thinks|thought|wants|wanted|needs|needed|will|signs|signed|approves|approved|owns|runs|leads|manages|confirmed|agreed|joined|left|raised|pushed|prefers|loves|liked|likes|introduced|sent|emailed|called|suggested|proposed|requested|flagged|noted|explained|shared|promised|committed|owes|reports|handles|heads|oversees|is leaving|has left|is out|is on leave|replied|responded|went quiet|went dark|ghosted';

/** "Maria Ortiz (CFO)", "Dana (VP Ops, Fabrikam)". */
function bracketedTitle(m: RegExpExecArray): Found {
  // "(VP Ops, Fabrikam)" or "(Fabrikam, Dir. Procurement)": whichever part is a title.
  const parts = m[2]!.split(/[,;]/).map((p) => p.trim());
  const at = parts.findIndex((p) => splitTitle(p).title);
  const { title, company } = at >= 0 ? splitTitle(parts[at]!) : { title: null, company: null };
  // "(our SE)" and "(ours)" are our people; "(VP Data, our champion)" is theirs.
  const side = /\b(?:ours|us|our (?:AE|SE|CSM|side|team|solutions|sales|rep|manager)|AE|SE|CSM)\b/.test(m[2]!)
    ? ('seller' as Side)
    : /\bour champion\b/i.test(m[2]!)
      ? ('customer' as Side)
      : null;
  return title || side
    ? { name: m[1]!, title, company: company ?? parts.find((_, i) => i !== at) ?? null, side }
    : null;
}

/** "Maria Ortiz, our CFO", "Dana Whitfield, VP of Operations at Fabrikam". */
function commaTitle(m: RegExpExecArray, s: Sentence, ctx: PeopleContext): Found {
  const { title, company } = splitTitle(m[4]!);
  if (!title) return null;
  const who = (m[2] ?? m[3])?.toLowerCase();
  return { name: m[1]!, title, company, side: sideOfPossessive(ctx, who, s) };
}

/** "Maria is our CFO", "Tom Becker is the head of IT". */
function isTheTitle(m: RegExpExecArray, s: Sentence, ctx: PeopleContext): Found {
  const { title } = splitTitle(m[3]!);
  if (!title) return null;
  return { name: m[1]!, title, side: sideOfPossessive(ctx, m[2]!.toLowerCase(), s) };
}

/** "I'm Laura and I'm the project manager", "this is Dana from Fabrikam", "my name is Roger". */
function selfIntroduction(m: RegExpExecArray, s: Sentence, ctx: PeopleContext): Found {
  if (!s.speaker && !ctx.inNotes && ctx.conversation.format !== 'email') return null;
  const { title } = m[3] ? splitTitle(m[3]) : { title: null };
  const labelTitle = s.speaker && isSpeakerRole(s.speaker) && !/^speaker/i.test(s.speaker) ? s.speaker : null;
  if (s.speaker && !ctx.labelNames.has(s.speaker)) ctx.labelNames.set(s.speaker, m[1]!);
  return { name: m[1]!, title: title ?? labelTitle, company: m[2] ?? null, side: sideOfSpeaker(ctx, s) };
}

/** A speaker's own title: "I'm the Director of Customer Support at Acme Health", "I run IT here". */
function speakersOwnTitle(m: RegExpExecArray, s: Sentence, ctx: PeopleContext): Found {
  if (!s.speaker) return null;
  const { title } = splitTitle(m[1]!);
  const name = ctx.labelNames.get(s.speaker) ?? s.speaker;
  return title ? { name, title, company: m[2] ?? null, side: sideOfSpeaker(ctx, s) } : null;
}

/** "Priya from procurement", "Tom from Fabrikam's IT team". */
function fromAFunction(m: RegExpExecArray, s: Sentence, ctx: PeopleContext): Found {
  return {
    name: m[1]!,
    title: null,
    side: opposite(authorSide(ctx, s)) === 'customer' || ctx.inNotes ? 'customer' : null,
    role: roleFromText(m[2]!),
  };
}

/** "Kenji Mori from our IT team", "Ahmed Karimi in our legal team", "Rachel Adeyemi here, I run finance". */
function fromATeam(m: RegExpExecArray, s: Sentence, ctx: PeopleContext): Found {
  const who = m[2]?.toLowerCase();
  const side =
    who === 'our'
      ? authorSide(ctx, s)
      : who === 'their' || who === 'your'
        ? (opposite(authorSide(ctx, s)) ?? 'customer')
        : sideOfSpeaker(ctx, s);
  return { name: m[1]!, title: null, side, role: m[3] ? roleFromText(m[3]) : null };
}

/** Meeting someone is naming a person: "talked to Ravi Shankar from their PMO", "call with uh Jean-Baptiste Moreau". */
function metWith(m: RegExpExecArray, s: Sentence): Found {
  return PERSONAL_RELATIONS.test(s.text.slice(Math.max(0, m.index - 20), m.index))
    ? null
    : { name: m[1]!, title: null, side: null };
}

/** "Her replacement as Head of Talent Acquisition is Mateus Carvalho", "the new CFO is Dana Lee". */
function titleIsName(m: RegExpExecArray): Found {
  const { title } = splitTitle(m[1]!);
  return title ? { name: m[2]!, title, side: null } : null;
}

/** An acronym title before a name: "CSM Bogdan Petrović", "the new CMO Obinna Eze". */
function acronymTitle(m: RegExpExecArray, s: Sentence, ctx: PeopleContext): Found {
  const ours =
    authorSide(ctx, s) === 'seller' && /\bour\b/i.test(s.text.slice(Math.max(0, m.index - 6), m.index));
  return {
    name: m[2]!,
    title: m[1]!,
    side: /^(?:CSM|AE|SE|SDR|BDR)$/.test(m[1]!) ? ('seller' as Side) : ours ? 'seller' : null,
  };
}

/** "Helga Sørensen their VP of customer experience", "Jean-Baptiste Moreau he's the controller". */
function nameThenTitle(m: RegExpExecArray): Found {
  const { title } = splitTitle(m[2]!);
  return title ? { name: m[1]!, title, side: null } : null;
}

// Once per sentence, not once per name in it: a dictated memo is one sentence naming many people.
const talksOfRelations = new WeakMap<Sentence, boolean>();

/** A person doing something a person does; not a relative of the speaker. */
function personActing(m: RegExpExecArray, s: Sentence): Found {
  let relations = talksOfRelations.get(s);
  if (relations === undefined) talksOfRelations.set(s, (relations = PERSONAL_RELATIONS.test(s.text)));
  return relations ? null : { name: m[1]!, title: null, side: null };
}

const INTRODUCTIONS: Introduction[] = [
  { re: new RegExp(String.raw`(${NAME})\s*\(([^()\n]{2,60})\)`, 'gu'), read: bracketedTitle },
  {
    re: new RegExp(
      String.raw`(${NAME})(?:,\s+(?:(our|their|your|the|my)\s+)?|\s+(our|their|your|my)\s+)([\p{L}&][\p{L}&.'’ -]{1,60}?)(?=[,.;)\n]|\s+(?:and|who|will|is|was|has|wants|said|needs|got|had|says|mentioned|told|asked|thinks|would|can|could|so|but|because|which|that|to|for|from|at|on|in)\b|$)`,
      'gu',
    ),
    read: commaTitle,
  },
  {
    re: new RegExp(
      String.raw`(${NAME})\s+(?:is|as)\s+(our|their|your|the|my)\s+([\p{L}&][\p{L}&.'’ -]{1,50}?)(?=[,.;\n]|\s+(?:and|who|so|but)\b|$)`,
      'gu',
    ),
    read: isTheTitle,
  },
  {
    re: new RegExp(
      String.raw`\b(?:I'm|I am|this is|my name is|it's)\s+(${NAME})(?:\s+(?:from|at|with)\s+(\p{Lu}[\w&.-]*(?:\s+\p{Lu}[\w&.-]*){0,2}))?(?:,?\s+(?:and\s+)?(?:I'm|I am)?\s*(?:the|a|an|our)?\s*([\p{L} -]{2,40}?))?(?=[,.;!?\n]|$)`,
      'gu',
    ),
    read: selfIntroduction,
  },
  {
    re: /\b(?:I'm|I am)\s+(?:the|a|an|our)\s+([\p{L}&][\p{L}&.'’ -]{2,60}?)(?:\s+(?:here\s+)?(?:at|with|for|from)\s+(\p{Lu}[\w&.-]*(?:\s+\p{Lu}[\w&.-]*){0,2}))?(?=[,.;!?\n]|\s+(?:and|so|but|who)\b|$)/gu,
    read: speakersOwnTitle,
  },
  {
    re: new RegExp(
      String.raw`(${NAME})\s+(?:from|in|on)\s+(?:the\s+)?(procurement|legal|purchasing|finance|security|IT|infosec|engineering|ops|operations)\b`,
      'gu',
    ),
    read: fromAFunction,
  },
  {
    re: new RegExp(
      String.raw`(${NAME})\s+(?:(?:from|in|on|with)\s+(our|their|the|your)\s+([\p{L} ]{2,30}?)\s+(?:team|department|group|side|org)|here,)`,
      'gu',
    ),
    read: fromATeam,
  },
  {
    re: new RegExp(
      String.raw`\b(?:talked to|talked with|spoke (?:to|with)|met with|meeting with|call with|got off the call with|looping in|loop in|looped in|introduce you to|introduced me to|cc'?ing|cc'?d|ping|pinged|emailed|texted|heard (?:back )?from|(?:radio )?silence from|nothing from|no (?:reply|response|answer) from|hand(?:ed|ing)? (?:it )?off to|coffee (?:w\/|with)|met w\/|notes by|written by|chaired by|signed by|approved by)\s+(?:(?:uh|um|er|like)\s+)?(${NAME})`,
      'gu',
    ),
    read: metWith,
  },
  {
    re: new RegExp(
      String.raw`\b(?:as|the|our|their|new)\s+((?:[\p{L}&-]+\s+){0,5}?[\p{L}&-]+)\s+(?:is|will be|was)\s+(${NAME})`,
      'gu',
    ),
    read: titleIsName,
  },
  {
    re: new RegExp(String.raw`\b((?:C[A-Z]O|CISO|VP|SVP|EVP|CSM|AE|SE|SDR|BDR|GM))\s+(${NAME})`, 'gu'),
    read: acronymTitle,
  },
  {
    re: new RegExp(
      String.raw`(${NAME})\s+(?:he's|she's|who's|is)\s+(?:the|their|our|a|an)\s+([\p{L}&][\p{L}&.'’ -]{1,50}?)(?=[,.;\n]|\s+(?:over|at|for|from|and|so|but|who|got|said|wants|was|is)\b|$)`,
      'gu',
    ),
    read: nameThenTitle,
  },
  {
    // A full name doing something a person does, anywhere: dictated memos have no punctuation.
    re: new RegExp(
      String.raw`(\p{Lu}\p{Ll}+\s+(?:Mc|Mac|O['’])?\p{Lu}\p{Ll}+(?:-\p{Lu}\p{Ll}+)?)\s+(?:${PERSON_VERBS})\b`,
      'gu',
    ),
    read: personActing,
  },
  {
    // People named doing something in the deal: "Priya said the security review is done".
    re: new RegExp(
      String.raw`(?:^|[.;:!?]\s+|\b(?:and|but|so|because|then|with|loop in|looping in|introduce you to|cc'?ing|cc|meet|ask|asked|told|call|email|ping|spoke with|spoke to|talked to|met with)\s+)(${NAME})(?:'s)?(?:\s+(?:has\s+|had\s+|just\s+|also\s+|already\s+)?(?:${PERSON_VERBS})\b|,\s+who\b)`,
      'gu',
    ),
    read: personActing,
  },
];

/** Everyone the sentence introduces, by each pattern in turn. */
export function introducedPeople(ctx: PeopleContext, s: Sentence, found: CandidateSet): void {
  for (const { re, read } of INTRODUCTIONS) {
    // The patterns are shared: each sentence starts them from its beginning.
    re.lastIndex = 0;
    let m: RegExpExecArray | null;
    while ((m = re.exec(s.text))) {
      const partial = read(m, s, ctx);
      if (!partial?.name) continue;
      const name = cleanName(partial.name, ctx.excluded);
      if (!name || isSpeakerRole(name)) continue;
      found.add({
        name,
        title: partial.title ?? null,
        company: partial.company ?? null,
        side: partial.side ?? null,
        role: partial.role ?? null,
        evidence: evidenceForSentence(s),
      });
    }
  }
}
