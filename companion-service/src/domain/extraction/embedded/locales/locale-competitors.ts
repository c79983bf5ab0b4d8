import type { Competitor } from '../../../insights/schema.js';
import type { Sentence } from '../../../text/sentences.js';
import { evidenceForSentence } from '../../../stages/signal-matcher.js';
import { NAME_END } from '../../../text/word-boundary.js';
import { NOT_NAMES } from '../lexicon.js';
import type { Lexicon } from './lexicon.js';

/**
 * Vendors a Spanish or Chinese conversation speaks of the way competitors are ("también están
 * mirando X", "也在看X和Y", "最终选择了X"), beyond the catalog the English steps already match.
 * Vendor names are written in Latin letters in both languages; a vendor the customer runs a job on
 * (CRM, mail, sign-in) or integrates with is used alongside us, not a competitor.
 */
const VENDOR = String.raw`\p{Lu}[\p{L}0-9.+-]*(?:[ ](?:\p{Lu}[\p{L}0-9.+-]*)){0,2}`;
// "y" and "o" join names only as words: inside one ("Siigo", "Yardi") they are letters.
const JOINER = String.raw`(?:\s*(?:,|、|和|与|及|以及|/)\s*|\s+(?:y|o)\s+)`;
const ALONGSIDE =
  /(?:做|来做|作为|管理)\s*(?:CRM|邮件|云|服务器|登录|身份认证|SSO|财务|工资|ERP)|集成|对接|integra|para (?:el|la|los) (?:CRM|correo|ERP|login|nómina)|firma electrónica/iu;
const SPANISH_COMMON =
  /^(?:El|La|Los|Las|Un|Una|Hoy|Ya|Te|Le|Nos|Lo|No|Sí|Si|Que|Como|Pero|Y|También|Para|Por|Con|En|De|Del|Al|Su|Sus|Mi|Tu|Este|Esta|Ese|Esa)$/;

export interface LocaleCompetitorInput {
  sentences: Sentence[];
  lexicon: Lexicon;
  /** Lower-cased names that are people, our company or vendors used alongside us. */
  excluded: Set<string>;
  /** What the English steps found (the catalog, by any name): kept, and not found twice. */
  found: Competitor[];
}

export function addLocaleCompetitors(input: LocaleCompetitorInput): Competitor[] {
  const out = [...input.found];
  const known = new Set(out.map((c) => c.name.toLowerCase()));
  for (const { label, cue } of input.lexicon.competitorBefore) {
    // Case-sensitive, so a vendor keeps its capital: the cues are written as said mid-sentence.
    const re = new RegExp(`${cue}\\s*(${VENDOR}${NAME_END}(?:${JOINER}${VENDOR}${NAME_END}){0,3})`, 'gu');
    for (const s of input.sentences) {
      for (const m of s.text.matchAll(re)) {
        // "用Salesforce做CRM": the job it does, said just after, makes it a tool used alongside us.
        if (ALONGSIDE.test(s.text.slice(m.index, m.index + m[0].length + 12).split(/[，。；,;]/u)[0]!))
          continue;
        for (const raw of m[1]!.split(new RegExp(JOINER, 'u'))) {
          const name = raw.trim().replace(/[.]+$/, '');
          const key = name.toLowerCase();
          if (!name || known.has(key) || input.excluded.has(key) || input.excluded.has(key.split(' ')[0]!))
            continue;
          if (NOT_NAMES.has(key) || SPANISH_COMMON.test(name.split(' ')[0]!) || name.length < 2) continue;
          known.add(key);
          out.push({ name, context: label, evidence: evidenceForSentence(s) });
        }
      }
    }
  }
  return out;
}
