import type { NextStep, Timeline } from '../../../insights/schema.js';
import type { Sentence } from '../../../text/sentences.js';
import { evidenceForSentence } from '../../../stages/signal-matcher.js';
import type { Lexicon } from './lexicon.js';
import { findLocaleDates } from './locale-dates.js';
import { prioritizeNextStep } from '../../next-step-priority.js';
import type { NextStepPriorityCutoffs } from '../../../settings/next-step-priority.js';

/**
 * Next steps and the timeline in Spanish and Chinese: a commitment in the lexicon's words, its
 * owner (the speaker, a named person, the other side, or nobody), and its due date in the same
 * sentence resolved against the meeting date. A step told as done ("ya te envié", "已经发了")
 * is no step.
 */
export interface LocaleStepInput {
  sentences: Sentence[];
  lexicon: Lexicon;
  meetingDate: string;
  resolveName: (nameOrLabel: string) => string | null;
  counterpartOf: (speaker: string | null) => string | null;
  /** The org's cut-offs: a step's priority follows its due date as the English steps' does. */
  priorityCutoffs: NextStepPriorityCutoffs;
}

export function extractLocaleNextSteps(input: LocaleStepInput): NextStep[] {
  const { lexicon } = input;
  const steps: NextStep[] = [];
  for (const s of input.sentences) {
    // A sentence of several commitments ("Marta enviará la propuesta el viernes; Lucía nos presenta...")
    // is split at its semicolons by the sentence splitter already; commas keep one step whole.
    const hit = lexicon.commitments
      .map((c) => ({ c, m: c.re.exec(s.text) }))
      .filter((x): x is { c: (typeof lexicon.commitments)[number]; m: RegExpExecArray } => x.m !== null)
      .sort((a, b) => a.m.index - b.m.index)
      .find(({ c }) => !s.isQuestion || c.owner === 'other' || c.owner === 'none');
    if (!hit) continue;
    const near = s.text.slice(Math.max(0, hit.m.index - 12), hit.m.index + hit.m[0].length + 12);
    if (lexicon.notCommitment.test(near)) continue;
    const due = findLocaleDates(s.text, input.meetingDate, lexicon.language).find(
      (d) => d.precision === 'day' && d.date >= input.meetingDate,
    );
    if (lexicon.needsDate.test(hit.m[0]) && !due) continue;
    let owner: string | null = null;
    if (hit.c.owner === 'speaker') owner = s.speaker ? input.resolveName(s.speaker) : null;
    else if (hit.c.owner === 'other') owner = input.counterpartOf(s.speaker);
    else if (hit.c.owner === 'named') {
      const name = /^(?:^|[\s,;:¡¿])?(\p{Lu}[\p{Ll}]+(?:\s+\p{Lu}[\p{Ll}]+)?|\p{Script=Han}{2,4})/u.exec(
        hit.m[0].trimStart(),
      );
      owner = name ? input.resolveName(name[1]!) : null;
      if (!owner) continue;
    }
    const text = s.text.replace(/^[-•*]\s*/, '').trim();
    const dueDate = due?.date ?? null;
    const priority = prioritizeNextStep({
      said: s.text,
      due: dueDate,
      meetingDate: input.meetingDate,
      cutoffs: input.priorityCutoffs,
    });
    steps.push({ text, owner, dueDate, priority, evidence: evidenceForSentence(s) });
  }
  // The same follow-up said twice ("您6月15日再联系我吧" and "我会在6月15日给您打电话") is one step.
  const seen = new Set<string>();
  return steps.filter((st) => {
    if (!st.dueDate) return true;
    const key = `${st.owner ?? ''}|${st.dueDate}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/**
 * The customer's target date: a decision or purchase said around a date beats a go-live; a date
 * said with a renewal, a freeze or a call is none. In Chinese the verb follows the date
 * ("在6月30日之前做出最终决定"), so the cue is looked for on both sides, within the clause.
 */
export function extractLocaleTimeline(
  sentences: Sentence[],
  lexicon: Lexicon,
  meetingDate: string,
): { timeline: Timeline | null; timelineIsDecision: boolean } {
  let best: { t: Timeline; score: number; decision: boolean } | null = null;
  for (const s of sentences) {
    if (s.isQuestion) continue;
    for (const d of findLocaleDates(s.text, meetingDate, lexicon.language)) {
      if (d.date <= meetingDate) continue;
      const before =
        s.text
          .slice(0, d.index)
          .split(/[，。；;,:：]/u)
          .pop() ?? '';
      const after = s.text.slice(d.index + d.text.length).split(/[，。；;,]/u)[0] ?? '';
      const clause = `${before} ${after}`;
      const decision = lexicon.decisionCue.test(clause);
      const goLive = lexicon.goLiveCue.test(clause);
      if (!decision && !goLive) continue;
      if (lexicon.notTimelineCue.test(clause) && !decision) continue;
      const score = decision ? 4 : 3;
      if (best && score <= best.score) continue;
      best = { t: { date: d.date, text: d.text, evidence: evidenceForSentence(s) }, score, decision };
    }
  }
  return { timeline: best?.t ?? null, timelineIsDecision: best?.decision ?? false };
}
