import { LOST_TO } from './competitor-cues.js';

/**
 * The commercial frames a vendor's name sits in when it competes for a deal, read as words within
 * a few words of the name rather than as whole phrases: "we're on X", "our contract with X renews",
 * "also looking at X", "X came in cheaper", "we went with X" all put a word of buying within reach
 * of the vendor. Two kinds:
 * - relations, which only a vendor has to a purchase (shortlisted, compared, replaced, renewed,
 *   chosen), read a few words either side;
 * - the buying steps every deal has, ours included (a demo, a pilot, a proposal, a quote, a price):
 *   these say a vendor competes only when they are its own ("X demoed", "X's quote", "a demo from
 *   X"); "the pilot at the Riga mill" is our pilot.
 * Each gives a standing and a strength; how much a strength counts is sales ops' judgement
 * (Scribe_Setting__mdt Competitor_*), not this module's.
 */

export type FrameStrength = 'strong' | 'weak';

export interface Frame {
  label: string;
  strength: FrameStrength;
  re: RegExp;
  /** The vendor is in question even if used today: its contract is up, it is being replaced. */
  contests?: boolean;
}

/** Relations read within a few words either side, most telling standing first. */
export const RELATIONS: readonly Frame[] = [
  {
    label: LOST_TO,
    strength: 'strong',
    re: /\b(?:(?:decided|chose|choosing|opted|going) to (?:stay|stick) with|stick(?:ing)? with|went with|go(?:ing)? with|gone with|decided on|chose|chosen|picked|selected|awarded|signed with|lost (?:it |the deal |out )?to|won (?:the|it|out)|beat (?:you|us))\b/i,
  },
  {
    label: 'incumbent being replaced',
    strength: 'strong',
    re: /\b(?:off|replac(?:e|es|ed|ing|ement)|switch(?:es|ed|ing)? (?:from|off|away)|mov(?:e|es|ed|ing) (?:off|away from)|migrat(?:e|es|ed|ing|ion) (?:off|from|away)|get(?:ting)? (?:off|rid of)|outgr[eo]wn?|rip(?:ping)? out|sunset(?:ting)?|fed up|frustrat\w*|unhappy|incumbent)\b/i,
  },
  {
    // The incumbent whose contract is up is what the deal may replace.
    label: 'incumbent',
    strength: 'strong',
    contests: true,
    re: /\b(?:renew(?:s|al|ed|ing)?|(?:contract|subscription|licen[cs]e|term|agreement)s? (?:with|is up|ends|expires|lapses?)|lapse)\b/i,
  },
  {
    // What the customer runs today may be what it keeps (tech stack) or what we would replace: it
    // takes a second sign (a renewal, a price, a comparison) to say which.
    label: 'incumbent',
    strength: 'weak',
    re: /\b(?:(?:we're|we are|we've been|we have been|they're|they are|they've been|i'm|currently|still|been) (?:on|with|using|running)|customers? (?:of|since)|since (?:19|20)\d\d)\b/i,
  },
  {
    label: 'evaluating',
    strength: 'strong',
    re: /\b(?:short-?list\w*|rfp|rfi|bake-?off|finalists?|evaluat\w+|(?:looking|look|looked) (?:at|into)|consider(?:ing|ed)|talk(?:ing|ed) (?:to|with)|in the (?:mix|running|picture)|on (?:our|the) list|other (?:option|vendor|tool|platform)s?)\b/i,
  },
  {
    label: 'compared',
    strength: 'strong',
    re: /(?:\b(?:vs\.?|versus|compar\w+|alternatives?|comps|cheaper|pricier|(?:more|less) expensive|undercut\w*|up against|head to head|better than|instead of)(?=\W|$))/i,
  },
  // Spanish and Chinese say the same relations in their own words; vendor names stay in Latin letters.
  {
    label: LOST_TO,
    strength: 'strong',
    re: /(?:\b(?:nos decidimos por|nos quedamos con|eligi(?:mos|eron|ó)|optamos por|optaron por|nos vamos con|se fueron con|seleccion(?:amos|aron)|firma(?:mos|ron) con|perdimos (?:contra|frente a))\b|最终选择了?|选择了|选了|决定用|签了|输给了?|选定)/iu,
  },
  {
    label: 'incumbent being replaced',
    strength: 'strong',
    re: /(?:\b(?:sustitu\w+|reemplaz\w+|dejar|migrar (?:desde|de)|salir de|cambiar(?:nos)? de)\b|替换|换掉|取代|迁移|不满意)/iu,
  },
  {
    label: 'incumbent',
    strength: 'strong',
    contests: true,
    re: /(?:\b(?:renova\w+|contrato con|vence|caduca)\b|续约|续签|到期)/iu,
  },
  {
    label: 'incumbent',
    strength: 'weak',
    re: /(?:\b(?:usamos|utilizamos|trabajamos con|estamos con|seguimos con)\b|现在用|目前用|在用|正在用|用的是|使用的是)/iu,
  },
  {
    label: 'evaluating',
    strength: 'strong',
    re: /(?:\b(?:evaluando|mirando|miramos|hablando con|probando|valorando|considerando|lista corta|preseleccion\w+|también (?:vimos|miramos))\b|也在看|在看|也看了|评估|考虑|试用|入围)/iu,
  },
  {
    label: 'compared',
    strength: 'strong',
    re: /(?:\b(?:compar\w+|competencia|competidor(?:es)?|más barat\w+|alternativas?|frente a)\b|对比|比较|便宜|更贵|竞品|竞争对手)/iu,
  },
  {
    // "Our competitors" are as often the customer's own rivals as ours: a hint, not a verdict.
    label: 'compared',
    strength: 'weak',
    re: /\b(?:competitors?|competing|competition|comp)\b/i,
  },
  {
    label: 'incumbent',
    strength: 'weak',
    re: /\b(?:today|currently|right now|at the moment|existing|current)\b/i,
  },
  {
    // "X is what finance uses", "X is what the warehouse team lives in": what a team works in today,
    // kept or replaced; a second sign (today, a renewal, a price) says which.
    label: 'incumbent',
    strength: 'weak',
    re: /\b(?:is|was) (?:what|who) (?:(?:our|the|their) )?(?:[\w-]+ ){0,2}?(?:uses?|lives? in|works? in|rel(?:y|ies) on|runs? on)\b/i,
  },
];

const STEP = String.raw`(?:demo|presentation|pitch|pilot|trial|poc|proof of concept|proposal|quote|bid|offer|pricing|price|number|figure|rep|account (?:exec|executive|manager)|sales (?:rep|team|guy|person))`;
/** A buying step that is the vendor's own: after its name ("X's demo", "X demoed", "X quoted 71k"). */
export const OWN_STEP_AFTER = new RegExp(
  String.raw`^(?:['’]s\s+(?:\w+\s+)?${STEP}|\s+${STEP}s?\b|,?\s+(?:(?:is|was|were|has|have|had|also|already|just|still|both|then|did|came)\s+){0,3}(?:demo(?:ed|'d)|quot(?:ed|ing)|pric(?:ed|ing)|pitch(?:ed|ing)|present(?:ed|ing)|bid|undercut|offer(?:ed|ing)|in (?:at|under|lower|higher|cheaper)|doing (?:a |an |the |their )?(?:demo|pilot|trial|poc)|running (?:a |an |the |their )?(?:pilot|trial|poc)|sent (?:us |over )?(?:a |an |their )?(?:quote|proposal|pricing|bid)|came back (?:at|with|in at))\b)`,
  'i',
);
/** The same in Spanish and Chinese: "X nos ha enviado también una oferta", "X给我们的报价". */
export const OWN_STEP_AFTER_OTHER =
  /^\s*(?:(?:nos|les|me|también|ya|ha|han|hemos|nos ha|nos han)\s+){0,3}(?:enviad[oa]|envió|mandad[oa]|mandó|dado|dio|pasado|pasó|hecho|hizo|presentad[oa]|presentó|cotizad[oa]|cotizó|ofrecid[oa]|ofreció)(?!\p{L})[^.;]{0,25}?\b(?:oferta|cotización|propuesta|presupuesto|precio|demo)(?!\p{L})|^[^，。；！？,.;]{0,8}(?:报价|演示|方案|开价|给了)/iu;
export const OWN_STEP_BEFORE_OTHER = /\b(?:oferta|cotización|propuesta|presupuesto|demo) de\s+$/iu;
/** The vendor's own contract: "the Bill.com contract", "X's renewal is in June". */
export const OWN_CONTRACT_AFTER = /^(?:['’]s)?\s+(?:contract|renewal|subscription|licen[cs]es?|agreement)\b/i;
/** A buying step that is the vendor's own: before its name ("a demo from X", "quote by X"). */
export const OWN_STEP_BEFORE = new RegExp(
  String.raw`\b${STEP}s?\s+(?:back\s+)?(?:from|by)\s+(?:the\s+)?$`,
  'i',
);
/** A price within a few words after the name: "X at $48k", "X was 61k". */
export const PRICE_AFTER =
  /^(?:['’]s)?(?:\s+[\p{L}-]+){0,3}?\s*(?:at|for|is|was|were|of|quoted|came in at)?\s*(?:[$€£]\s?\d|\d[\d,.]*\s?(?:k|K)\b)/u;

/**
 * Frames that put a vendor beside the purchase rather than against it: what the purchase connects
 * to, signs in with or runs on, the tools kept, and the customer's former employers. A vendor read
 * only in these is used, not competing.
 */
export const BESIDE =
  /集成|对接|同步|登录|\b(?:integra\w*|para (?:el|la|los) (?:CRM|correo|ERP|login|nómina)|integrat\w*|sync\w*|connect(?:s|ed|or|ors|ing)?|plug(?:s|ged|in)?|api|webhooks?|sso|single sign-on|log(?:s|ged)? ?in|sign(?:s|ed)? ?in|hosted|hosting|export\w*|import\w*|feeds?|pull(?:s|ed|ing)? from|push(?:es|ed|ing)? (?:to|into)|on top of|alongside|keep(?:ing)?|kept|stay(?:s|ing)|work(?:s|ed|ing)? (?:at|for)|used to work|joined from)\b/i;
/** A negation just before a frame undoes it: "not going with anyone else", "never looked at". */
export const NEGATED_FRAME =
  /(?:\b(?:not|never|no|n't|without|nunca|sin|ni)\s+(?:\w+\s+)?|(?:没有?|不|未|从未)\s*)$/iu;

/**
 * A party's own company: "Dana from Northwind", "here at Northwind", "on behalf of Northwind". The
 * name after these is who someone on the call works for, ours or the customer's, never a rival.
 */
export const AFFILIATED_BEFORE =
  /\b(?:here at|on behalf of|(?:I'm|I am|this is|it's|we're|we are)\s+(?:\p{Lu}[\p{L}'’-]*\s+){0,3}(?:from|at|with)|(?:us|we|everyone|folks|team|all of us)\s+(?:here\s+|over\s+)?at)\s+(?:the\s+)?$/iu;
