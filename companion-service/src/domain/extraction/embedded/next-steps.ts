import type { Evidence, NextStep } from '../../insights/schema.js';
import type { Sentence } from '../../text/sentences.js';
import { evidenceForSentence } from '../../stages/signal-matcher.js';
import { findDates } from './dates.js';

/**
 * Next steps: commitments to do something, with who owns them and when. "I'll send the proposal
 * by Friday" (owner: the speaker), "Dana to send the security questionnaire" (owner: Dana),
 * "Can you send me the SOC 2 report?" (owner: the other side), and lines under "Next steps:".
 */
const ACTION = String.raw`(?:(?:re)?send|have (?:\w+\s+){1,3}(?:over|back) to|share|forward|schedule|set up|setup|book|follow up|circle back|loop in|introduce|intro|get(?! into| going| started| to know| through| it\b)|draft|put time|block time|hold|prepare|put together|review|check|confirm|talk to|speak (?:to|with)|reach out|run|call|email|ping|connect|sync|meet|present|bring|provide|deliver|finali[sz]e|sign|countersign|issue|submit|complete|fill out|update|look into|work on|organi[sz]e|arrange|invite|demo|walk|kick off|start|chat|coordinate|ask|reconvene|regroup|reconnect|revisit|check back|touch base|pull together|write up|come back)`;

/** What a rep asks the other side to deliver; discovery questions ("walk me through") are not tasks. */
const REQUEST = String.raw`(?:send|share|forward|provide|set up|schedule|book|introduce|loop in|fill out|complete|sign|countersign|confirm|issue|submit|get (?:me|us)|connect (?:me|us)|invite|review|return)`;

const BOOKED = /\b(?:works|work|is booked|is set|is confirmed|confirmed)\b/i;
const BOOKED_AFTER = /\b(?:works|is booked|is set|is confirmed|on the calendar)\b/i;
const MEETING =
  /\b(?:demo|call|meeting|session|kickoff|kick-off|workshop|review|deep[- ]dive|onsite|visit)\b/i;
/** Whether `second` is found after the first `first`: one pass each, however long the sentence. */
const followedBy = (text: string, first: RegExp, second: RegExp) => {
  const m = first.exec(text);
  return m !== null && second.test(text.slice(m.index + m[0].length));
};

const COMMITMENTS: {
  re: RegExp;
  owner: 'speaker' | 'named' | 'other' | 'none';
  /**
   * False when `re` cannot match: `re` joins two cues with ".*", which tries every place the first
   * cue appears against the rest of the sentence, so a long sentence without a match would cost its
   * length squared; this linear check says first whether there is one to find.
   */
  possible?: (text: string) => boolean;
}[] = [
  {
    re: new RegExp(
      String.raw`\b(?:I(?:'ll| will| am going to|'m going to| can| shall)|I'd be happy to|let me|me to)\s+(?:\w+\s+){0,2}?${ACTION}\b`,
      'i',
    ),
    owner: 'speaker',
  },
  {
    re: new RegExp(
      String.raw`\b(?:we(?:'ll| will| are going to|'re going to| should| can)|let's|let us|our team will)\s+(?:\w+\s+){0,2}?${ACTION}\b`,
      'i',
    ),
    owner: 'speaker',
  },
  // Notes shorthand: "me -> recap email Thu", "Send him our overview deck (me) - today".
  {
    re: new RegExp(String.raw`^(?:me\s*(?:->|→|:|-)\s*|${ACTION}\b[^.]*\((?:me|us|I)\))`, 'i'),
    owner: 'speaker',
  },
  {
    re: new RegExp(
      String.raw`\b(?:I(?:'d| would) like to|I want to|we(?:'d| would) like to)\s+${ACTION}\b`,
      'i',
    ),
    owner: 'speaker',
  },
  { re: /\bwe need (?:it|this|them|that) (?:back|returned|signed|completed)\b/i, owner: 'other' },
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
      String.raw`\b(?:\p{Lu}[\p{Ll}'-]+)(?:\s+\p{Lu}[\p{Ll}'-]+)?,?\s+(?:will|is going to|'ll|agreed to|promised to|needs to)\s+(?:\w+\s+){0,5}?${ACTION}\b`,
      'u',
    ),
    owner: 'named',
  },
  {
    re: new RegExp(
      String.raw`\b(?:they|he|she)(?:'ll| will| are going to| is going to)\s+(?:\w+\s+){0,2}?${ACTION}\b`,
      'i',
    ),
    owner: 'none',
  },
  {
    re: new RegExp(
      String.raw`\bI (?:need to|have to|should|gotta|must|owe \p{Lu}\w+)\s+(?:\w+\s+){0,1}?${ACTION}\b`,
      'iu',
    ),
    owner: 'speaker',
  },
  // Agreeing a time is a step too: "Can we hold the kickoff on Monday the 11th?", "Next Thursday works for the demo".
  { re: /\bcan we (?:hold|schedule|book|do|set up|move|get|put)\b/i, owner: 'none' },
  {
    re: /\b(?:works|work|is booked|is set|is confirmed|confirmed)\b.*\b(?:demo|call|meeting|session|kickoff|kick-off|workshop|review|deep[- ]dive|onsite|visit)\b|\b(?:demo|call|meeting|session|kickoff|kick-off|workshop|review|deep[- ]dive|onsite|visit)\b.*\b(?:works|is booked|is set|is confirmed|on the calendar)\b/i,
    owner: 'none',
    possible: (text) => followedBy(text, BOOKED, MEETING) || followedBy(text, MEETING, BOOKED_AFTER),
  },
];
const HEADING =
  /^(?:next steps?|action items?|actions|follow[- ]ups?|to ?dos?|ais?|ns|nbs|next)\s*[:\-–]\s*/i;
/** Thinking aloud, not committing: "let me just confirm that", "let me ask him when he's back". */
const NOT_A_COMMITMENT =
  /\blet me (?:just |quickly )?(?:ask|check|see|think|confirm that|make sure|understand|clarify|get this straight)\b|\bI can help\b/i;
const PAST_OR_HYPOTHETICAL =
  /\b(?:if (?:we|you|they|I)|would have|should have|could have|I'd have|we'd have|already|last (?:week|time)|yesterday|did we|if needed)\b/i;
const SMALL_TALK =
  /\b(?:vacation|weekend|holiday|kids|dinner|lunch|coffee|softball|weather|birthday|wedding|sunburn)\b/i;

export interface NextStepInput {
  sentences: Sentence[];
  meetingDate: string;
  /** Full name for a speaker label or first name, when known. */
  resolveName: (nameOrLabel: string) => string | null;
  /** The other party's main speaker, for "can you ..." requests. */
  counterpartOf: (speaker: string | null) => string | null;
  isNotes: boolean;
}

export function extractNextSteps(input: NextStepInput): NextStep[] {
  const steps: NextStep[] = [];
  let underHeading = false;
  for (const s of input.sentences) {
    const heading = HEADING.exec(s.text);
    if (heading) underHeading = true;
    else if (/^[A-Z][\w ]{2,30}:\s*$/.test(s.text) || /^[A-Z][\w ]{2,30}:\s/.test(s.text))
      underHeading = false;
    // Judged near the commitment: a dictated memo is one long sentence about many things.
    const near = (m: RegExpExecArray) => s.text.slice(Math.max(0, m.index - 60), m.index + m[0].length + 60);
    const disqualified = (m: RegExpExecArray) =>
      PAST_OR_HYPOTHETICAL.test(near(m)) || SMALL_TALK.test(near(m)) || NOT_A_COMMITMENT.test(near(m));

    let owner: string | null = null;
    let matched = false;
    // The commitment stated first in the sentence is its subject ("Priya will review it before we sign").
    const ordered = COMMITMENTS.map((c) => ({
      c,
      m: c.possible?.(s.text) === false ? null : c.re.exec(s.text),
    }))
      .filter((x): x is { c: (typeof COMMITMENTS)[number]; m: RegExpExecArray } => x.m !== null)
      .sort((a, b) => a.m.index - b.m.index);
    for (const { c, m } of ordered) {
      if (disqualified(m)) continue;
      if (s.isQuestion && c.owner !== 'other' && !/^\s*can we\b/i.test(m[0])) continue;
      if (
        c.owner === 'none' &&
        !findDates(s.text, input.meetingDate).some((d) => d.precision === 'day') &&
        /works|booked|set|confirmed|calendar/i.test(m[0])
      )
        continue;
      matched = true;
      if (c.owner === 'speaker') owner = s.speaker ? input.resolveName(s.speaker) : null;
      else if (c.owner === 'other') owner = input.counterpartOf(s.speaker);
      else if (c.owner === 'none') owner = null;
      else if (c.owner === 'named') {
        const name =
          /(\p{Lu}[\p{Ll}'-]+(?:\s+\p{Lu}[\p{Ll}'-]+)?),?\s+(?:will|to|is going|'ll|needs|owes|agreed|promised|should)/u.exec(
            s.text.slice(m.index),
          );
        owner = name ? input.resolveName(name[1]!) : null;
        if (!owner) matched = false;
      }
      if (matched) break;
    }
    // A line under "Next steps:" is a step when it asks for an action; a signature below the list is not.
    const listItem = (text: string) =>
      text.trim().length > 3 && new RegExp(String.raw`\b${ACTION}\b`, 'i').test(text);
    const inList =
      underHeading && !heading
        ? listItem(s.text)
        : heading
          ? listItem(s.text.slice(heading[0].length))
          : false;
    if (underHeading && !heading && !inList && !matched) underHeading = s.text.trim().length > 40;
    if (!matched && !inList) continue;
    if (!matched && inList && !owner) {
      const lead = /^(\p{Lu}[\p{Ll}'-]+(?:\s+\p{Lu}[\p{Ll}'-]+)?)\s*(?:[:\-–]|to\b|will\b)/u.exec(
        s.text.slice(heading?.[0].length ?? 0),
      );
      owner = lead ? input.resolveName(lead[1]!) : null;
    }
    for (const clause of clauses(s, heading?.[0].length ?? 0)) {
      const due = findDates(clause.text, input.meetingDate).find(
        (d) =>
          d.precision === 'day' &&
          d.date >= input.meetingDate &&
          // "the deck from our March 2nd call" names a past meeting, not a due date.
          !/\b(?:from|since|of|after) (?:our|the|last|that)\s*$/i.test(clause.text.slice(0, d.index)),
      );
      // A clause that names its own owner ("..., and Dana will confirm the budget") is theirs.
      const ownName = /^(\p{Lu}\p{Ll}+(?:\s+\p{Lu}\p{Ll}+)?)\s+(?:will|'ll|is going to)\b/u.exec(clause.text);
      const clauseOwner = ownName ? (input.resolveName(ownName[1]!) ?? ownName[1]!) : owner;
      const text = clause.text
        .replace(/^(?:so|okay|ok|great|alright|and|then|perfect)[,!.]?\s+/i, '')
        .replace(/[;,.\s]+$/, '')
        .trim();
      if (text.length < 6) continue;
      steps.push({ text, owner: clauseOwner, dueDate: due?.date ?? null, evidence: clause.evidence });
    }
  }
  return dedupe(steps).slice(0, 12);
}

const CLAUSE_BREAK = new RegExp(
  String.raw`,?\s+and\s+(?=(?:(?:I|we|\p{Lu}\p{Ll}+)(?:'ll| will|'d like to| want to)\s+)?(?:also\s+)?${ACTION}\b)`,
  'giu',
);

/** "I'll send the proposal by Friday and set up a call next Tuesday" is two steps with two dates. */
function clauses(s: Sentence, skip: number): { text: string; evidence: Evidence }[] {
  const whole = s.text.slice(skip);
  const cuts: number[] = [];
  CLAUSE_BREAK.lastIndex = 0;
  let m: RegExpExecArray | null;
  while ((m = CLAUSE_BREAK.exec(whole))) cuts.push(m.index, m.index + m[0].length);
  if (cuts.length === 0) {
    const start = s.start + skip;
    return [
      {
        text: whole,
        evidence: skip === 0 ? evidenceForSentence(s) : { quote: whole, start, end: start + whole.length },
      },
    ];
  }
  const bounds = [0, ...cuts, whole.length];
  const out: { text: string; evidence: Evidence }[] = [];
  for (let i = 0; i < bounds.length; i += 2) {
    const text = whole
      .slice(bounds[i]!, bounds[i + 1]!)
      .trim()
      .replace(/[.!]$/, '');
    const start = s.start + skip + whole.indexOf(text, bounds[i]!);
    out.push({ text, evidence: { quote: text, start, end: start + text.length } });
  }
  return out;
}

function dedupe(steps: NextStep[]): NextStep[] {
  const seen = new Set<string>();
  return steps.filter((s) => {
    const key = s.text.toLowerCase().replace(/\W+/g, ' ').trim();
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
