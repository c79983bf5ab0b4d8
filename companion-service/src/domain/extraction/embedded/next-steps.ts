import type { NextStep } from '../../insights/schema.js';
import type { Sentence } from '../../text/sentences.js';
import type { NextStepPriorityCutoffs } from '../../settings/next-step-priority.js';
import { prioritizeNextStep } from '../next-step-priority.js';
import { findDates } from './dates.js';
import { hasTitleWord } from './names.js';
import { aroundCommitment, clauseFinder, clauses, mergeDuplicateSteps } from './next-step-clauses.js';

/**
 * Next steps: commitments to do something, with who owns them and when. "I'll send the proposal
 * by Friday" (owner: the speaker), "Dana to send the security questionnaire" (owner: Dana),
 * "Can you send me the SOC 2 report?" (owner: the other side), and lines under "Next steps:".
 */
const ACTION = String.raw`(?:(?:re)?send|have (?:\w+\s+){1,3}(?:over|back) to|have (?:\w+\s+){1,3}ready\b|share|forward|schedule|set up|setup|book|follow up|circle back|loop in|introduce|intro|get(?! into| going| started| to know| through| it\b)|draft|put time|block time|hold|prepare|put together|review|check|confirm|talk to|speak (?:to|with)|reach out|run|call|email|ping|connect|sync|meet|present|bring|provide|deliver|finali[sz]e|sign|countersign|issue|submit|return|complete|fill out|update|look into|work on|organi[sz]e|arrange|invite|demo|walk|kick off|start|chat|coordinate|ask|reconvene|regroup|reconnect|revisit|check back|touch base|pull together|pull|write up|come back|scope|remind|(?:put|set) (?:in )?a reminder|answer|propose|suggest|take (?:\w+\s+){1,3}(?:to|into)|let (?:you|them|him|her|us|me) know|have (?:\w+\s+){1,3}to (?:you|them|him|her|us))`;

/**
 * After a subject that commits ("I'll", "Petra will"), any verb is an action but these: being,
 * thinking and wanting are no task ("I'll be honest", "we'll see", "she'll probably want a demo").
 */
const NOT_AN_ACTION = String.raw`(?:be|been|have|has|had|say|tell you|bet|guess|think|know|see|need|want|like|love|hope|admit|assume|imagine|wait|keep|leave|miss|pass|let it|let that|never|not|probably|maybe|possibly|always|ever|really|so|too|there|that|this|it|the|a|an|you|we|they|he|she|go|come|stay|remain|feel|wonder|agree|mean|take that|take it|do|make|try|get|put|just|also|still|only|all|both|either|likely|definitely|certainly|surely|presumably|need|ask|around|back|over|out|up|find|figure|defer|skip|decline|lose|stop|use|pay|buy|sign off|own|chip)`;
/** Any action after a committing subject: a known one, or a verb that is not in the list above. */
const OPEN_ACTION = String.raw`(?:${ACTION}|(?!${NOT_AN_ACTION}\b)\p{Ll}{3,}(?:\s+\p{Ll}+)?\b(?=\s+(?:the|a|an|our|your|their|my|his|her|it|them|that|this|those|these|in|on|to|up|over|out|back|some|all|\p{Ll}+s\b)))`;

/** What a rep asks the other side to deliver; discovery questions ("walk me through") are not tasks. */
const REQUEST = String.raw`(?:send|share|forward|provide|set up|schedule|book|introduce|loop in|fill out|complete|sign|countersign|confirm|issue|submit|get (?:me|us)|connect (?:me|us)|invite|review|return|propose|suggest|let (?:me|us) know)`;

/** Who a named owner is, between the name and the verb: "Olu from our solutions team will ...", "Dana, their CFO, will ...". */
const APPOSITIVE = String.raw`(?:\s+(?:from|on|at|in) (?:our|their|your|the) (?:\w+\s+){0,2}(?:team|side|end)|,\s+(?:our|their|your|the) [\w ]{2,30},)?`;

const BOOKED = /\b(?:works|work|is booked|is set|is confirmed|confirmed)\b/i;
const BOOKED_AFTER = /\b(?:works|is booked|is set|is confirmed|on the calendar)\b/i;
const MEETING =
  /\b(?:demo|call|meeting|session|kickoff|kick-off|workshop|review|deep[- ]dive|onsite|visit|invite)\b/i;
/** Whether `second` is found after the first `first`: one pass each, however long the sentence. */
const followedBy = (text: string, first: RegExp, second: RegExp) => {
  const m = first.exec(text);
  return m !== null && second.test(text.slice(m.index + m[0].length));
};

const COMMITMENTS: {
  re: RegExp;
  owner: 'speaker' | 'named' | 'bracketed' | 'other' | 'they' | 'none';
  /** A wish ("we'd like to ..."): about the deal's own milestones or this meeting's agenda, it is no step. */
  wish?: boolean;
  /**
   * False when `re` cannot match: `re` joins two cues with ".*", which tries every place the first
   * cue appears against the rest of the sentence, so a long sentence without a match would cost its
   * length squared; this linear check says first whether there is one to find.
   */
  possible?: (text: string) => boolean;
}[] = [
  {
    re: new RegExp(
      String.raw`\b(?:I(?:'ll| will| am going to|'m going to|'m gonna| can| shall)|I'd be happy to|let me|me to)\s+(?:\w+\s+){0,2}?${ACTION}\b|\bI(?:'ll| will| am going to|'m going to)\s+(?:(?:just|also|then|personally|definitely|go ahead and|make sure to|be sure to)\s+)?${OPEN_ACTION}|\bI owe (?:\p{Lu}\p{Ll}+|you|him|her|them) (?:a|an|the|my|our|some)\b`,
      'iu',
    ),
    owner: 'speaker',
  },
  {
    re: new RegExp(
      String.raw`\b(?:we(?:'ll| will| are going to|'re going to|'re gonna| should| can)|let's|let us|our team will)\s+(?:\w+\s+){0,2}?${ACTION}\b`,
      'i',
    ),
    owner: 'speaker',
  },
  // Notes shorthand: "me -> recap email Thu", "Send him our overview deck (me) - today", "SE (me) to scope ...".
  {
    re: new RegExp(
      String.raw`(?:^|[.;]\s+)(?:me\s*(?:->|→|:|-)\s*|(?:\p{L}+\s+)?\((?:me|us|I)\)\s+(?:to|will)\s+${ACTION}\b|${ACTION}\b[^.]*\((?:me|us|I)\))`,
      'iu',
    ),
    owner: 'speaker',
  },
  // "send references (Priya) by 3/6": the person in brackets owns it.
  {
    re: new RegExp(String.raw`^${ACTION}\b(?!:)[^.():]*\((\p{Lu}\p{Ll}+(?: \p{Lu}\p{Ll}+)?)\)`, 'iu'),
    owner: 'bracketed',
  },
  // "We need to book the training sessions" is a task; "we need to sign by Q2" is the deal's timeline.
  {
    re: new RegExp(
      String.raw`\bwe(?: need to| have to|'ve got to| gotta| must)\s+(?:\w+\s+){0,1}?${ACTION}\b`,
      'i',
    ),
    owner: 'speaker',
    wish: true,
  },
  {
    re: new RegExp(
      String.raw`\b(?:I(?:'d| would) like to|I want to|we(?:'d| would) like to)\s+${ACTION}\b`,
      'i',
    ),
    owner: 'speaker',
    wish: true,
  },
  // "We need it back by the 16th" asks for something; "we need it signed by April" is the deal's timeline.
  { re: /\bwe need (?:it|this|them|that) (?:back|returned|completed)\b/i, owner: 'other' },
  {
    re: new RegExp(
      String.raw`\b(?:can|could|would) you(?: please)?\s+(?:\w+\s+){0,1}?${REQUEST}\b|\bplease\s+${REQUEST}\b`,
      'i',
    ),
    owner: 'other',
  },
  {
    re: new RegExp(
      String.raw`^(?:\p{Lu}[\p{Ll}'-]+(?:\s+\p{Lu}[\p{Ll}'-]+)?)\s+(?:will|to|is going to|'ll|needs to|owes us|agreed to|promised to|should)\s+(?:\w+\s+){0,2}?${ACTION}\b`,
      'u',
    ),
    owner: 'named',
  },
  {
    re: new RegExp(
      String.raw`\b(?:\p{Lu}[\p{Ll}'-]+)(?:\s+\p{Lu}[\p{Ll}'-]+)?,?${APPOSITIVE}\s+(?:will|is going to|'ll|agreed to|promised to|needs to)\s+(?:(?:\w+\s+){0,5}?${ACTION}\b|${OPEN_ACTION})`,
      'u',
    ),
    owner: 'named',
  },
  {
    re: new RegExp(
      String.raw`\b(?:they|he|she)(?:'ll| will| are going to| is going to)\s+(?:\w+\s+){0,2}?${ACTION}\b`,
      'i',
    ),
    owner: 'they',
  },
  {
    re: new RegExp(
      String.raw`\bI (?:need to|have to|should|gotta|must|owe \p{Lu}\w+)\s+(?:\w+\s+){0,1}?${ACTION}\b`,
      'iu',
    ),
    owner: 'speaker',
  },
  // "Our legal team will send the redlines": a team, not a person, owns it.
  {
    re: new RegExp(
      String.raw`\b(?:our|my|the|their|your) (?:\w+ ){0,2}team(?:'ll| will| is going to| are going to)\s+(?:\w+\s+){0,2}?${ACTION}\b`,
      'i',
    ),
    owner: 'none',
  },
  // Agreeing a time is a step too: "Can we hold the kickoff on Monday the 11th?", "Next Thursday works for the demo".
  { re: /\bcan we (?:hold|schedule|book|do|set up|move|get|put)\b/i, owner: 'none' },
  {
    re: /\b(?:works|work|is booked|is set|is confirmed|confirmed)\b.*\b(?:demo|call|meeting|session|kickoff|kick-off|workshop|review|deep[- ]dive|onsite|visit|invite)\b|\b(?:demo|call|meeting|session|kickoff|kick-off|workshop|review|deep[- ]dive|onsite|visit|invite)\b.*\b(?:works|is booked|is set|is confirmed|on the calendar)\b/i,
    owner: 'none',
    possible: (text) => followedBy(text, BOOKED, MEETING) || followedBy(text, MEETING, BOOKED_AFTER),
  },
];
const HEADING =
  /^(?:next steps?|action items?|actions|follow[- ]ups?|to ?dos?|ais?|ns|nbs|next)\s*[:\-–]\s*/i;
/** Thinking aloud, not committing: "let me just confirm that", "let me ask him when he's back". */
const NOT_A_COMMITMENT =
  /\blet me (?:just |quickly )?(?:ask|check|see|think|confirm that|make sure|understand|clarify|get this straight)\b|\bI can help\b/i;
/**
 * Said of what is done or could have been, up to the commitment: "we already sent it", "last time
 * we'll ...". Only the words before the commitment count, so "I'll resend the deck I sent last week"
 * stays a step.
 */
const PAST_OR_HYPOTHETICAL =
  /\b(?:if (?:we|you|they|I|he|she|it|that|this|the)|would have|should have|could have|I'd have|we'd have|already|last (?:week|time|month)|yesterday|did we|ago|earlier (?:today|this week))\b/i;
/** An offer on a condition, wherever in its clause: "I can send the case study if that helps". */
const ON_A_CONDITION =
  /\bif (?:needed|necessary|helpful|useful|that helps|it helps|you(?:'d)? (?:like|want|need|prefer)|interested|that works for you|there's interest)\b|\bif (?:anything|something|things|that|this) (?:changes?|comes up|moves)\b|\bin case\b/i;
/** A hypothetical leading its sentence: "Assuming legal signs off, we'd ...", "If the pilot works, we'll ...". */
const HYPOTHETICAL_LEAD =
  /^\W*(?:(?:and|so|but|okay|ok)\s*,?\s+)?(?:if(?! (?:that|this|it) (?:works|is ok|is okay|is fine|sounds good)| that's (?:ok|okay|fine|alright|good))|assuming|supposing|suppose|unless|hypothetically|in theory)\b/i;
/**
 * Reported as done: "Sent the MSA to legal", "We signed the NDA", "Dana shared the SOC 2 last week",
 * "Security questionnaire - done" (but not "once the review is done").
 */
const DONE =
  /^\W*(?:(?:we|I|they|he|she|\p{Lu}[\p{Ll}'-]+(?:\s+\p{Lu}[\p{Ll}'-]+)?)\s+)?(?:(?:have|has|had)\s+)?(?:already\s+)?(?:sent|signed|countersigned|shared|forwarded|completed|submitted|returned|reviewed|delivered|provided|met|held|did|received|got|approved|agreed on|walked|ran|gave|presented|demoed|finished|closed|wrapped up|introduced|looped in|updated|called|emailed|spoke|talked)\b|[:(–-]\s*(?:done|completed|finished|sent|signed)\s*\)?\s*[.!✓✔]?\s*$|^\W*[✓✔☑]/iu;
/** Wishes about the deal's own milestones are its timeline ("we'd like to sign before April"), not a task. */
const WISH_NOT_A_STEP = /\b(?:sign|countersign|start|kick off|run|go live|launch|roll out|buy|purchase)\b/i;
/** "Today I want to walk you through ...": this meeting's agenda. */
const AGENDA = /\b(?:today|now|first|quickly|here)\b/i;
const SMALL_TALK =
  /\b(?:vacation|weekend|holiday|kids|dinner|lunch|coffee|softball|weather|birthday|wedding|sunburn)\b/i;

/**
 * Whether the commitment found at `from`..`to` is no step: judged on its own clause, since a dictated
 * memo is one long sentence about many things and "we signed the NDA, and I'll send the MSA" holds one.
 */
function notAStep(
  text: string,
  from: number,
  to: number,
  clauseOf: (at: number) => { start: number; end: number } = clauseFinder(text),
): boolean {
  const clause = clauseOf(from);
  const said = text.slice(clause.start, clause.end);
  const before = text.slice(clause.start, Math.min(to, clause.end));
  return (
    PAST_OR_HYPOTHETICAL.test(before) ||
    ON_A_CONDITION.test(said) ||
    (HYPOTHETICAL_LEAD.test(text) && from > 0) ||
    DONE.test(said) ||
    SMALL_TALK.test(said) ||
    NOT_A_COMMITMENT.test(said)
  );
}

/** A conversation's next steps worth a rep's attention; more is a list nobody reads. */
const MAX_STEPS = 12;
/** A sentence longer than a few lines is a run-on (a dictated memo, a paragraph without stops). */
const RUN_ON_CHARS = 400;

interface Commitment {
  /** The commitment's words, with `index` into the sentence. */
  m: RegExpExecArray;
  owner: string | null;
  kind: (typeof COMMITMENTS)[number]['owner'];
}

/** Saying yes to a request: the reply that follows it takes it on. */
const ACCEPTS =
  /^\W*(?:yes|yeah|yep|sure|will do|absolutely|of course|can do|no problem|definitely|happy to)\b/i;
/** How far a reply may be from the request it answers: the next turn or two. */
const REPLY_WITHIN_SENTENCES = 3;

/** Whether a clause of a split sentence is a step of its own: a commitment, or an action it starts with. */
function commitsOrActs(text: string): boolean {
  return (
    new RegExp(String.raw`^(?:also\s+)?${ACTION}\b`, 'i').test(text) ||
    COMMITMENTS.some((c) => c.possible?.(text) !== false && c.re.test(text))
  );
}

/**
 * The first commitment in the sentence from `from` on, and who owns it: the commitment stated first
 * is the sentence's subject ("Priya will review it before we sign").
 */
function commitmentIn(
  s: Sentence,
  from: number,
  clauseOf: (at: number) => { start: number; end: number },
  input: NextStepInput,
): Commitment | null {
  const text = from === 0 ? s.text : s.text.slice(from);
  const ordered = COMMITMENTS.map((c) => {
    const m = c.possible?.(text) === false ? null : c.re.exec(text);
    if (m) m.index += from;
    return { c, m };
  })
    .filter((x): x is { c: (typeof COMMITMENTS)[number]; m: RegExpExecArray } => x.m !== null)
    .sort((a, b) => a.m.index - b.m.index);
  for (const { c, m } of ordered) {
    if (notAStep(s.text, m.index, m.index + m[0].length, clauseOf)) continue;
    // "Send me a quote so I can take it to our CFO": the purpose of a request, not a second step.
    if (
      /^\w+\s+(?:can|could)\b/i.test(m[0]) &&
      /\bso(?: that)?\s*$/i.test(s.text.slice(Math.max(0, m.index - 10), m.index))
    )
      continue;
    if (c.wish && (WISH_NOT_A_STEP.test(m[0]) || AGENDA.test(s.text.slice(clauseOf(m.index).start, m.index))))
      continue;
    if (s.isQuestion && c.owner !== 'other' && !/^\s*can we\b/i.test(m[0])) continue;
    if (
      c.owner === 'none' &&
      !findDates(s.text, input.meetingDate).some((d) => d.precision === 'day') &&
      /works|booked|set|confirmed|calendar/i.test(m[0])
    )
      continue;
    const owner = ownerOf(c.owner, m, s, input);
    if (owner === undefined) continue;
    return { m, owner, kind: c.owner };
  }
  return null;
}

/** Who owns a commitment; undefined when it names someone who is not in the conversation. */
function ownerOf(
  kind: (typeof COMMITMENTS)[number]['owner'],
  m: RegExpExecArray,
  s: Sentence,
  input: NextStepInput,
): string | null | undefined {
  switch (kind) {
    case 'speaker':
      return s.speaker ? input.resolveName(s.speaker) : null;
    // "Priya, can you share the org chart?" asks Priya, whoever else is on the other side.
    case 'other': {
      const named = /^(\p{Lu}\p{Ll}+),\s+(?:can|could|would|please)\b/u.exec(s.text);
      return (named ? input.resolveName(named[1]!) : null) ?? input.counterpartOf(s.speaker);
    }
    // "They'll send the PO" from our side means the customer; "he" or "she" names nobody for sure.
    case 'they':
      return /^they\b/i.test(m[0]) ? input.customerOf(s.speaker) : null;
    case 'none':
      return null;
    // "(VP Sales)" is a title said beside a name, not who does the step.
    case 'bracketed':
      return hasTitleWord(m[1]!) ? undefined : (input.resolveName(m[1]!) ?? m[1]!);
    case 'named': {
      const name = new RegExp(
        String.raw`(\p{Lu}[\p{Ll}'-]+(?:\s+\p{Lu}[\p{Ll}'-]+)?),?${APPOSITIVE}\s+(?:will|to|is going|'ll|needs|owes|agreed|promised|should)`,
        'u',
      ).exec(s.text.slice(m.index));
      return (name ? input.resolveName(name[1]!) : null) ?? undefined;
    }
  }
}

export interface NextStepInput {
  sentences: Sentence[];
  meetingDate: string;
  /** Full name for a speaker label or first name, when known. */
  resolveName: (nameOrLabel: string) => string | null;
  /** The other party's main speaker, for "can you ..." requests. */
  counterpartOf: (speaker: string | null) => string | null;
  /** Who "they" is when `speaker` says it: the customer's main speaker when one of ours speaks, else null. */
  customerOf: (speaker: string | null) => string | null;
  isNotes: boolean;
  /** Days to the due date that make a step High or Medium priority (Scribe_Setting__mdt). */
  priorityCutoffs: NextStepPriorityCutoffs;
}

export function extractNextSteps(input: NextStepInput): NextStep[] {
  const steps: NextStep[] = [];
  let underHeading = false;
  // The last request put to someone: "Priya, can you share the org chart?" answered by "Yes, I'll have
  // it over by Thursday" is one step, the answer's, which says when.
  let request: { step: number; sentence: number; speaker: string | null } | null = null;
  for (const [at, s] of input.sentences.entries()) {
    const heading = HEADING.exec(s.text);
    if (heading) underHeading = true;
    else if (/^[A-Z][\w ]{2,30}:\s*$/.test(s.text) || /^[A-Z][\w ]{2,30}:\s/.test(s.text))
      underHeading = false;
    const clauseOf = clauseFinder(s.text);
    // A run-on memo holds several commitments, each a step; an ordinary sentence is one step.
    const found: Commitment[] = [];
    for (let from = 0; found.length < MAX_STEPS;) {
      const next = commitmentIn(s, from, clauseOf, input);
      if (!next) break;
      found.push(next);
      if (s.text.length <= RUN_ON_CHARS) break;
      from = Math.max(next.m.index + next.m[0].length, clauseOf(next.m.index).end);
    }
    const matched = found.length > 0;
    let owner = found[0]?.owner ?? null;
    // A line under "Next steps:" is a step when it asks for an action; a signature below the list is not.
    const listItem = (text: string) =>
      text.trim().length > 3 &&
      new RegExp(String.raw`\b${ACTION}\b`, 'i').test(text) &&
      !notAStep(text, 0, text.length);
    const inList =
      underHeading && !heading
        ? listItem(s.text)
        : heading
          ? listItem(s.text.slice(heading[0].length))
          : false;
    // A done item ("- Sent the deck") is still part of the list; a short line of another kind ends it.
    if (underHeading && !heading && !inList && !matched)
      underHeading = s.text.trim().length > 40 || DONE.test(s.text);
    if (!matched && !inList) continue;
    if (!matched && inList && !owner) {
      const lead = /^(\p{Lu}[\p{Ll}'-]+(?:\s+\p{Lu}[\p{Ll}'-]+)?)\s*(?:[:\-–]|to\b|will\b)/u.exec(
        s.text.slice(heading?.[0].length ?? 0),
      );
      owner = lead ? input.resolveName(lead[1]!) : null;
    }
    // A run-on memo or paragraph is no step's text: each commitment and what follows it are.
    const runOn = matched && s.text.length > RUN_ON_CHARS;
    // Each commitment's piece stops where the next one's clause starts.
    const pieces = runOn
      ? found.map((f, k) => {
          const limit = found[k + 1] ? clauseOf(found[k + 1]!.m.index).start : s.text.length;
          return { ...aroundCommitment(s, clauseOf, f.m.index, f.m.index + f.m[0].length, limit), f };
        })
      : clauses(s, heading?.[0].length ?? 0, CLAUSE_BREAK).map((c) => ({ ...c, f: null }));
    for (const clause of pieces) {
      // "We sent the contract last week, and I'll follow up Friday": only the second half is a step.
      if (DONE.test(clause.text)) continue;
      // "We are also talking to X, and they will present on the 10th": a clause without a commitment is context.
      if (pieces.length > 1 && !clause.f && !commitsOrActs(clause.text)) continue;
      const ahead = findDates(clause.text, input.meetingDate).filter(
        (d) =>
          d.date >= input.meetingDate &&
          // "the deck from our March 2nd call" names a past meeting, not a due date.
          !/\b(?:from|since|of|after) (?:our|the|last|that)\s*$/i.test(
            clause.text.slice(Math.max(0, d.index - 30), d.index),
          ),
      );
      // A span ("next week", "in Q3") is no day to hold someone to, but it still says how soon.
      const due = ahead.find((d) => d.precision === 'day');
      // A clause that names its own owner ("..., and Dana will confirm the budget") is theirs.
      const ownName = /^(\p{Lu}\p{Ll}+(?:\s+\p{Lu}\p{Ll}+)?)\s+(?:will|'ll|is going to)\b/u.exec(clause.text);
      const clauseOwner = ownName
        ? (input.resolveName(ownName[1]!) ?? ownName[1]!)
        : clause.f
          ? clause.f.owner
          : owner;
      const text = clause.text
        .replace(/^(?:so|okay|ok|great|alright|and|then|perfect)[,!.]?\s+/i, '')
        .replace(/[;,.\s]+$/, '')
        .trim();
      if (text.length < 6) continue;
      const priority = prioritizeNextStep({
        said: clause.text,
        due: (due ?? ahead[0])?.date ?? null,
        meetingDate: input.meetingDate,
        cutoffs: input.priorityCutoffs,
      });
      const asked = request ? steps[request.step] : undefined;
      if (
        request &&
        asked &&
        ACCEPTS.test(s.text) &&
        at - request.sentence <= REPLY_WITHIN_SENTENCES &&
        s.speaker !== request.speaker &&
        asked.owner !== null &&
        asked.owner === clauseOwner
      ) {
        // The answer takes the request's place: its quote bears out the date the request lacks.
        steps[request.step] = {
          text,
          owner: clauseOwner,
          dueDate: due?.date ?? asked.dueDate,
          priority,
          evidence: clause.evidence,
        };
        request = null;
        continue;
      }
      if ((clause.f ?? found[0])?.kind === 'other')
        request = { step: steps.length, sentence: at, speaker: s.speaker };
      steps.push({
        text,
        owner: clauseOwner,
        dueDate: due?.date ?? null,
        priority,
        evidence: clause.evidence,
      });
    }
  }
  return mergeDuplicateSteps(steps, MAX_STEPS);
}

/**
 * Where a sentence holds a second step: "I'll send the deck by Friday and set up a call on Tuesday".
 * Not before an action on what the first one made ("pull the exceptions and share them by Thursday",
 * "write that up and get it to you"): that is one step.
 */
const CLAUSE_BREAK = new RegExp(
  String.raw`[.;]\s+(?=me\s*(?:->|→))|,?\s+and\s+(?=(?:(?:I|we|\p{Lu}\p{Ll}+)(?:'ll| will|'d like to| want to)\s+|let's\s+|let us\s+)?(?:also\s+)?${ACTION}\b)(?!\p{Ll}+\s+(?:\p{Ll}+\s+)?(?:it|them|that|those|these|this)\b(?!\s+\p{Ll}+ing\b))`,
  'giu',
);
