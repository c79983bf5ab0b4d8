import type { Competitor } from '../../insights/schema.js';
import type { Sentence } from '../../text/sentences.js';
import type { CompetitorCatalog } from '../competitor-catalog.js';
import { evidenceForSentence } from '../../stages/signal-matcher.js';
import { escapeRegExp } from '../finalize.js';
import { NOT_NAMES } from './lexicon.js';

/**
 * Competitors: every vendor in the Competitor__mdt catalog that is mentioned, plus any vendor
 * spoken of the way competitors are: evaluated, compared, switched from, chosen instead, quoting
 * against us, or listed as the competition in notes.
 */
const VENDOR = String.raw`\p{Lu}[\p{L}0-9]*(?:[.-][\p{L}0-9]+)*(?:\s+(?:\p{Lu}[\p{L}0-9]*|\d+))?`;
const LIST = String.raw`(${VENDOR}(?:\s*(?:,|\band\b|\bor\b|/|&)\s*(?:also\s+)?${VENDOR}){0,4})`;

const CONTEXTS: { label: string; re: RegExp }[] = [
  { label: 'chosen instead', re: new RegExp(String.raw`\b(?:chose|chosen|went with|going with|go with|selected|picked|signed with|decided on|awarded (?:it|the contract) to|lost (?:it |the deal )?to)\s+${LIST}`, 'gu') },
  { label: 'incumbent being replaced', re: new RegExp(String.raw`\b(?:switch(?:ing)?|mov(?:e|ing)|migrat(?:e|ing)|com(?:e|ing)|transition(?:ing)?|get(?:ting)? away)\s+(?:over\s+)?(?:off|from|away from)\s+(?:of\s+)?${LIST}`, 'gu') },
  { label: 'incumbent being replaced', re: new RegExp(String.raw`\b(?:replac(?:e|ing)|rip(?:ping)? out|sunset(?:ting)?|renewal with|contract with|locked in with|stuck with|unhappy with|frustrated with)\s+${LIST}`, 'gu') },
  { label: 'incumbent', re: new RegExp(String.raw`\b(?:currently (?:use|using|on|run on|running)|we(?:'re| are)? (?:use|using|on) |today we use|incumbent(?: is|,| vendor)?|our (?:current|existing) (?:vendor|tool|provider|solution|platform|system)(?: is)?)\s*${LIST}`, 'gu') },
  { label: 'evaluating', re: new RegExp(String.raw`\b(?:evaluat(?:e|ing)|looking at|look at|consider(?:ing)?|talk(?:ing)? to|speaking with|in talks with|trial(?:l)?ing|pilot(?:ing)?|demo(?:ing|'d|ed)|test(?:ing)?|shortlist(?:ed)?|short-listed|benchmark(?:ing)?|bake-?off with|RFP (?:with|to))\s+(?:also\s+)?${LIST}`, 'gu') },
  { label: 'compared', re: new RegExp(String.raw`\b(?:compar(?:e|ed|ing)|stack(?:s|ed)? up)\s+(?:\w+\s+){0,3}?(?:to|with|against)\s+${LIST}`, 'gu') },
  { label: 'compared', re: new RegExp(String.raw`(?:\bvs\.?|\bversus|\bup against|\bagainst|\bor)\s+${LIST}`, 'gu') },
  { label: 'quoting against us', re: new RegExp(String.raw`\b(?:quote|quotes|proposal|offer|pricing|bid|price)\s+from\s+${LIST}`, 'gu') },
  { label: 'alternative', re: new RegExp(String.raw`\b(?:alternatives?|competitors?|other vendors?|other options|options)(?:\s+(?:like|such as|including|are|is))?\s*:?\s+${LIST}`, 'gu') },
  { label: 'listed as competition', re: new RegExp(String.raw`^\s*(?:comp(?:etitors?|etition|s)?|vs|alternatives)\s*[:=-]\s*${LIST}`, 'giu') },
];
const AFTER_VENDOR: { label: string; re: RegExp }[] = [
  { label: 'quoting against us', re: new RegExp(String.raw`(${VENDOR})(?:'s)?\s+(?:quoted|offered|came in|is cheaper|was cheaper|are cheaper|is less expensive|undercut|gave us (?:a|their) (?:quote|price|discount)|pitched|is pushing|(?:quote|pricing|price|offer|proposal|bid) (?:is|was|came))`, 'gu') },
  { label: 'evaluating', re: new RegExp(String.raw`(${VENDOR})\s+(?:is|are)\s+(?:also\s+)?(?:in the running|on (?:the|our) shortlist|in the mix|a contender|doing a demo|demoing)`, 'gu') },
  { label: 'chosen instead', re: new RegExp(String.raw`(${VENDOR})\s+(?:won|won the deal|got the deal|beat you)`, 'gu') },
];
const NEGATED = /\b(?:not|never|no longer|aren't|isn't|weren't|won't|don't|didn't|haven't|stopped)\s+(?:\w+\s+){0,2}$/i;
const PRONOUNS = /^(?:you|your|yours|them|us|it|this|that|one|another|someone|something|the|a|an)$/i;

export interface CompetitorInput {
  sentences: Sentence[];
  catalog: CompetitorCatalog;
  /** Lower-cased names that are people or our own company, never competitors. */
  excluded: Set<string>;
}

export function extractCompetitors(input: CompetitorInput): Competitor[] {
  const found = new Map<string, Competitor>();
  const canonical = buildCanonical(input.catalog);
  const forms = [...canonical.keys()].sort((a, b) => b.length - a.length).map(escapeRegExp);
  const catalogRe = forms.length > 0 ? new RegExp(`(?<![\\p{L}0-9])(?:${forms.join('|')})(?![\\p{L}0-9])`, 'giu') : null;
  const note = (raw: string, label: string, s: Sentence, precedingText: string) => {
    for (const name of splitList(raw)) {
      const cleaned = cleanVendor(name, input.excluded);
      if (!cleaned) continue;
      if (NEGATED.test(precedingText)) continue;
      const key = canonical.get(cleaned.toLowerCase()) ?? cleaned;
      if (!found.has(key.toLowerCase())) found.set(key.toLowerCase(), { name: key, context: label, evidence: evidenceForSentence(s) });
    }
  };
  for (const s of input.sentences) {
    for (const { label, re } of CONTEXTS) {
      re.lastIndex = 0;
      let m: RegExpExecArray | null;
      while ((m = re.exec(s.text))) {
        if (label === 'compared' && /^\s*or\b/i.test(m[0]) && !/\b(?:vs|versus|compar|instead|alternative|cheaper|better)\b/i.test(s.text)) continue;
        if (label === 'compared' && /^\s*against\b/i.test(m[0]) && !/\b(?:up against|compet|bake|head to head|evaluat|compar)\b/i.test(s.text)) continue;
        note(m[1]!, label, s, s.text.slice(0, m.index));
      }
    }
    for (const { label, re } of AFTER_VENDOR) {
      re.lastIndex = 0;
      let m: RegExpExecArray | null;
      while ((m = re.exec(s.text))) note(m[1]!, label, s, s.text.slice(0, m.index));
    }
    if (!catalogRe) continue;
    catalogRe.lastIndex = 0;
    let c: RegExpExecArray | null;
    while ((c = catalogRe.exec(s.text))) {
      const name = canonical.get(c[0].toLowerCase())!;
      if (found.has(name.toLowerCase()) || NEGATED.test(s.text.slice(0, c.index))) continue;
      found.set(name.toLowerCase(), { name, context: 'mentioned', evidence: evidenceForSentence(s) });
    }
  }
  return [...found.values()];
}

function buildCanonical(catalog: CompetitorCatalog): Map<string, string> {
  const map = new Map<string, string>();
  for (const entry of catalog.entries) {
    map.set(entry.name.toLowerCase(), entry.name);
    for (const alias of entry.aliases) map.set(alias.toLowerCase(), entry.name);
  }
  return map;
}

function splitList(raw: string): string[] {
  return raw
    .split(/\s*(?:,|\band\b|\bor\b|\/|&)\s*/)
    .map((s) => s.replace(/^also\s+/i, '').trim())
    .filter(Boolean);
}

function cleanVendor(raw: string, excluded: Set<string>): string | null {
  const name = raw.replace(/['’]s$/, '').replace(/[.,;:]+$/, '').trim();
  if (!name || PRONOUNS.test(name)) return null;
  const tokens = name.split(/\s+/);
  const first = tokens[0]!.toLowerCase();
  if (NOT_NAMES.has(first) || excluded.has(name.toLowerCase()) || excluded.has(first)) return null;
  if (/^\d/.test(name) || name.length < 2) return null;
  // A second token that is a common word is not part of the name ("Clari Monday" is unlikely).
  if (tokens.length > 1 && NOT_NAMES.has(tokens[1]!.toLowerCase())) return tokens[0]!;
  return name;
}
