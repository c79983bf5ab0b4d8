import type { StakeholderRole } from '../../insights/schema.js';
import type { Sentence } from '../../text/sentences.js';
import { evidenceForSentence } from '../../stages/signal-matcher.js';
import { samePerson, type Candidate } from './candidate.js';
import { EB_TITLES, LEGAL_TITLES, ROLE_CUES, SELF_ROLE_CUES, TECH_TITLES } from './lexicon.js';

/** The part a team named in the text plays: "Priya from procurement", "Tom from IT". */
export function roleFromText(text: string): StakeholderRole | null {
  if (/procurement|legal|purchasing/i.test(text)) return 'procurement_legal';
  if (/security|IT|infosec|engineering/i.test(text)) return 'technical_evaluator';
  return null;
}

/** Roles from what a person says of themselves, from what is said about them, else from their title. */
export function assignRoles(people: Candidate[], sentences: Sentence[]): void {
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
