import type {
  AnnualRevenue,
  DecisionTimeline,
  EmployeeCount,
  TechStackItem,
  Timeline,
} from '../../insights/schema.js';
import type { Sentence } from '../../text/sentences.js';
import { evidenceForSentence } from '../../stages/signal-matcher.js';
import { findMoney, parseSpelledNumber } from './money.js';

/**
 * Company and deal facts a rep would otherwise type in: how many people the customer employs, its
 * yearly revenue, the systems it runs, and when it decides. Each is read from one sentence and
 * quoted whole. A team's size is not the company's ("my team of 40"), a budget or a year's spend
 * is not revenue, and a vendor competing for the deal is not part of the customer's stack.
 */

export interface FactsInput {
  sentences: Sentence[];
  /** The org's currency (Scribe_Setting__mdt), for an amount said without one. */
  defaultCurrency: string;
  /** Names that are never the customer's systems, lower-cased: competitors, our company, people. */
  notSystems: ReadonlySet<string>;
  /** Systems customers run beside us (Scribe_Setting__mdt Non_Competitors__c): a stack by name. */
  knownSystems: readonly string[];
  timeline: Timeline | null;
  timelineIsDecision: boolean;
}

export interface CompanyFacts {
  employeeCount: EmployeeCount | null;
  annualRevenue: AnnualRevenue | null;
  techStack: TechStackItem[];
  decisionTimeline: DecisionTimeline | null;
}

/** How sure each reading is: a word that names the measure beats one inferred from the sentence. */
const CONFIDENCE = { named: 0.8, inferred: 0.7, knownSystem: 0.75, statedSystem: 0.7 } as const;

export function extractCompanyFacts(input: FactsInput): CompanyFacts {
  return {
    employeeCount: extractEmployees(input.sentences),
    annualRevenue: extractRevenue(input.sentences, input.defaultCurrency),
    techStack: extractTechStack(input),
    decisionTimeline: decisionTimelineOf(input),
  };
}

// --- company size ---

const UNITS =
  'one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety';
/** A count in digits ("1,200", "2.5k") or in words ("ninety", "two hundred"). */
const NUMBER = String.raw`(?<num>\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?(?:\s?[kK]\b)?|\b(?:(?:${UNITS}|a|one)[- ])?(?:${UNITS}|hundred|thousand)(?:[- ](?:${UNITS}|hundred|thousand)){0,3})`;
/** "1,200 employees", "2,300 staff", "90 FTEs": the word itself says it is the workforce. */
const EMPLOYEE_NOUN = new RegExp(
  String.raw`(?<![\d,.])${NUMBER}\+?\s+(?:full[- ]time\s+)?(?:employees|staff(?! members? (?:on|in))|FTEs|workers|people on (?:the )?payroll)\b`,
  'gi',
);
/** "a 90-person company", "a 650-employee manufacturer"; "a 40-person team" is judged by its noun. */
const COMPANY_OF = new RegExp(
  String.raw`(?<![\d,.])${NUMBER}[- ](?:person|people|employee|staff)\s+(?<what>[a-z]+(?:\s+[a-z]+)?)`,
  'gi',
);
/** "headcount of 300", "company of 500 people". */
const HEADCOUNT_OF = new RegExp(
  String.raw`\b(?:headcount|head count|company|organi[sz]ation|workforce)\s+(?:is\s+|of\s+|sits at\s+|at\s+|around\s+|about\s+|roughly\s+|just over\s+|just under\s+|~\s?){1,3}${NUMBER}`,
  'gi',
);
/** "we're about 1,200 people", "we have roughly 9,000 people": the company speaking of itself. */
const WE_ARE_PEOPLE = new RegExp(
  String.raw`\b(?:we(?:'re| are| have| employ)|they(?:'re| are| have| employ)|(?:the )?company (?:is|has|employs))\s+(?:about\s+|around\s+|roughly\s+|nearly\s+|almost\s+|over\s+|just over\s+|just under\s+|close to\s+|~\s?){0,2}${NUMBER}\s+(?:people|employees|staff)\b`,
  'gi',
);
/** Words that make a number a part of the company, not all of it. */
const PART_OF_COMPANY =
  /\b(?:team|group|department|dept|division|unit|squad|pod|office|branch|site|region|org(?!ani[sz]ation)|function|desk|floor|shift|crew)\b/i;
const WHOLE_COMPANY =
  /\b(?:company|companywide|company-wide|organi[sz]ation|in total|total|overall|globally|worldwide|across (?:the|all|four|three|two|\d+|our)|firm|business|since the merger)\b/i;

function numberOf(raw: string): number | null {
  const text = raw.trim().toLowerCase();
  const k = /^([\d.]+)\s?k$/.exec(text);
  if (k) return Math.round(Number(k[1]) * 1000);
  if (/^\d/.test(text)) return Number(text.replace(/,/g, ''));
  const words = text.replace(/-/g, ' ').replace(/^(?:a|one) (?=hundred|thousand)/, '');
  const [thousands, rest] = words.split(/\s*thousand\s*/);
  if (rest === undefined) return parseSpelledNumber(words);
  const head = thousands ? parseSpelledNumber(thousands) : 1;
  const tail = rest ? parseSpelledNumber(rest) : 0;
  return head === null || tail === null ? null : head * 1000 + tail;
}

/** How far a clause reaches either way: a sentence without punctuation is still read in linear time. */
const CLAUSE_REACH = 160;
/** How far the words right before or after an amount are read. */
const AROUND = 40;

/** The clause a match sits in: a team's number and the company's are often one comma apart. */
function clauseAround(fullText: string, fullStart: number, fullEnd: number): string {
  const offset = Math.max(0, fullStart - CLAUSE_REACH);
  const text = fullText.slice(offset, Math.min(fullText.length, fullEnd + CLAUSE_REACH));
  const start = fullStart - offset;
  const end = fullEnd - offset;
  const before = Math.max(
    text.lastIndexOf(',', start - 1),
    text.lastIndexOf(';', start - 1),
    text.lastIndexOf(' but ', start - 1),
    text.lastIndexOf(' and ', start - 1),
  );
  const stops = [',', ';', ' but ', ' and '].map((s) => text.indexOf(s, end)).filter((i) => i >= 0);
  return text.slice(before + 1, stops.length > 0 ? Math.min(...stops) : text.length);
}

/** The words every size pattern needs: sentences without one are not read further. */
const SIZE_WORDS = /employ|staff|people|person|headcount|head count|FTE|workers|workforce|payroll/i;

function extractEmployees(sentences: Sentence[]): EmployeeCount | null {
  let best: { count: number; confidence: number; sentence: Sentence } | null = null;
  for (const s of sentences) {
    if (s.isQuestion || !SIZE_WORDS.test(s.text)) continue;
    for (const [re, named] of [
      [EMPLOYEE_NOUN, true],
      [HEADCOUNT_OF, true],
      [COMPANY_OF, true],
      [WE_ARE_PEOPLE, false],
    ] as const) {
      re.lastIndex = 0;
      let m: RegExpExecArray | null;
      while ((m = re.exec(s.text))) {
        const count = numberOf(m.groups!.num!);
        if (!count || count < 1 || !Number.isInteger(count)) continue;
        const what = m.groups!.what;
        if (what && PART_OF_COMPANY.test(what)) continue;
        const clause = clauseAround(s.text, m.index, m.index + m[0].length);
        // "my team of 40 employees", "the sales org is 40 people": part of the company, not its size.
        if (!what && PART_OF_COMPANY.test(clause) && !WHOLE_COMPANY.test(clause)) continue;
        const confidence = named || WHOLE_COMPANY.test(clause) ? CONFIDENCE.named : CONFIDENCE.inferred;
        // The company is the largest whole it is said to be: "2,300 employees" over a branch's 40.
        if (!best || confidence > best.confidence || (confidence === best.confidence && count > best.count))
          best = { count, confidence, sentence: s };
      }
    }
  }
  return best
    ? { count: best.count, confidence: best.confidence, evidence: evidenceForSentence(best.sentence) }
    : null;
}

// --- revenue ---

/** Words that say an amount is what the company earns in a year. */
const REVENUE_CUE =
  /\b(?:revenues?(?! (?:operations|ops|team|leader|org))|rev(?=\s|:|\.)|turnover|top[- ]line|annual sales|in sales|ARR|annual recurring revenue|(?:did|made|brought in|booked|generated|grossed|billed)\b[^.;]{0,30}\b(?:last|this|a|per|each) (?:year|fiscal year|FY)|a year in sales)\b/i;
/** "a $1.4 billion system", "a €20M business": the company described by what it turns over. */
const SIZED_COMPANY =
  /^\s*(?:-|\s)?(?:a year\s+)?(?:company|business|system|organi[sz]ation|firm|brand|retailer|manufacturer|group|operation|health system|hospital system|bank|credit union|insurer|distributor|wholesaler)\b/i;
const SIZED_NOUN =
  /\b(?:company|business|system|organi[sz]ation|firm|brand|retailer|manufacturer|group|operation|hospital|bank|credit union|insurer|distributor|wholesaler)\b/i;
/** An amount about spending, raising or pricing is never revenue. */
const NOT_REVENUE =
  /\b(?:budget|spend|spending|spent|cost|costs|price|pricing|quote|quoted|funding|raised|raise|series [a-e]|valuation|valued|invest\w*|loan|salary|salaries|per seat|per user|per month|a month|discount|contract|deal size|savings?|save)\b/i;

function extractRevenue(sentences: Sentence[], defaultCurrency: string): AnnualRevenue | null {
  for (const s of sentences) {
    if (s.isQuestion) continue;
    const cue = REVENUE_CUE.exec(s.text);
    // Without a revenue word or a company sized by an amount there is nothing to read here.
    if (!cue && !SIZED_NOUN.test(s.text)) continue;
    for (const found of findMoney(s)) {
      // Mentions are placed in the conversation; the clause is read from the sentence.
      const money = { ...found, start: found.start - s.start, end: found.end - s.start };
      // "1,200" alone is money only where the clause says revenue ("revenue of 80,000,000").
      if (money.bare && !/\b(?:revenue|turnover|ARR)\b/i.test(clauseAround(s.text, money.start, money.end)))
        continue;
      // "3,400 employees" is a headcount, whatever the sentence says about revenue.
      if (
        /^\s*(?:people|employees|staff|users|seats|reps|customers|members)\b/i.test(
          s.text.slice(money.end, money.end + AROUND),
        )
      )
        continue;
      const clause = clauseAround(s.text, money.start, money.end);
      if (NOT_REVENUE.test(clause)) continue;
      // Bounded reads around the amount: a sentence of a thousand amounts stays linear.
      const sized =
        SIZED_COMPANY.test(s.text.slice(money.end, money.end + AROUND)) &&
        /\ba\s*$/i.test(s.text.slice(Math.max(0, money.start - AROUND), money.start));
      const nearCue = cue && (REVENUE_CUE.test(clause) || Math.abs(cue.index - money.start) <= 60);
      if (!sized && !nearCue) continue;
      return {
        amount: money.amount,
        currency: money.currency ?? defaultCurrency,
        confidence: /\b(?:revenue|turnover|ARR|annual sales)\b/i.test(clause)
          ? CONFIDENCE.named
          : CONFIDENCE.inferred,
        evidence: evidenceForSentence(s),
      };
    }
  }
  return null;
}

// --- tech stack ---

/** A product name: capitalised words, camel case and version numbers ("Dynamics 365", "NetSuite"). */
const NAME = String.raw`(?<name>(?:[A-Z][\w&.+-]*|[a-z]+[A-Z][\w]*)(?:\s+(?:[A-Z][\w&.+-]*|\d{2,4}|Plus|Cloud|One)){0,2})`;
/** What a system is for, when the customer says which of theirs it is. */
const SYSTEM_KIND = String.raw`(?:CRM|ERP|HRIS|HR|payroll|finance|accounting|billing|invoicing|ticketing|help ?desk|service desk|data ?warehouse|warehouse|data lake|BI|reporting|analytics|marketing automation|e-?commerce|EHR|EMR|LMS|CMS|ATS|ITSM|identity|SSO|cloud|phone system|telephony|dialer|contact center|point of sale|POS|WMS|TMS|inventory|project management|document management|file storage)`;
// The lead words may open a sentence, so either case; the names must stay capitalised (no "i" flag).
const WE = String.raw`\b(?:[Ww]e|[Tt]hey)`;
const OUR = String.raw`\b(?:[Oo]ur|[Tt]heir)`;
/** "we're on X", "we run X", "our CRM is X", "X for billing", "data sits in X", "integrate with X". */
const STACK_PATTERNS: RegExp[] = [
  new RegExp(
    String.raw`${WE}(?:'re|’re| are) (?:all |currently |still |mostly )?(?:on|running on|built on|standardi[sz]ed on)\s+${NAME}`,
    'g',
  ),
  new RegExp(
    String.raw`${WE} (?:run|use|rely on|license|pay for|already use|currently use|also use)\s+(?:the\s+)?${NAME}`,
    'g',
  ),
  new RegExp(
    String.raw`${OUR} ${SYSTEM_KIND}(?: system| platform| tool)? (?:is|=|runs on|is on|lives in|sits in|is in)\s+${NAME}`,
    'g',
  ),
  new RegExp(
    String.raw`\b${SYSTEM_KIND}(?: system| platform| tool)?\s*(?:=|:|is|on|in|runs on|runs in|is on|is in|lives in|sits in|is kept in|goes through)\s+${NAME}`,
    'g',
  ),
  new RegExp(String.raw`\b${NAME}\s+(?:for|as (?:our|their|the))\s+${SYSTEM_KIND}\b`, 'g'),
  new RegExp(
    String.raw`\b(?:data|records?|pipeline|files|accounts|tickets|leads) (?:all )?(?:sits?|lives?|is kept|are kept|is stored|are stored) in\s+${NAME}`,
    'g',
  ),
  new RegExp(
    String.raw`\b(?:integrat\w+|sync\w*|connect\w*) (?:in)?(?:to|with) (?:our |their )?(?:existing )?${NAME}`,
    'g',
  ),
];
/** "Salesforce, NetSuite and Snowflake": the names after the first in a list. */
const LIST_TAIL = new RegExp(String.raw`\s*(?:,|and|&|\+|/)\s*(?:also\s+)?${NAME}`, 'y');
/** What a system is for, said alone ("our CRM"): no product, though "Zoho CRM" and "Power BI" are. */
const KIND_ALONE = /^(?:CRM|ERP|HR|HRIS|BI|EHR|EMR|API|SSO|IT|AI|ATS|LMS|CMS|ITSM|POS|WMS|TMS)$/;
/** Capitalised words that are not products. */
const NOT_A_NAME =
  /^(?:I|We|They|The|Our|Their|It|This|That|A|An|And|But|So|Then|Everything|Nothing|Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|January|February|March|April|May|June|July|August|September|October|November|December|Q[1-4]|PO|CEO|CFO|COO|CTO|CRO|VP|Mr|Ms|Mrs|Dr|Yes|No|OK|Okay|Thanks|Hi|Hello|Re|Fw|Fwd|Enterprise|Professional|Premium|Standard|Team|Edition|Legal|Procurement|Finance|Sales|Marketing|Support|Engineering|Security)$/;
/** "we're not on X", "we don't use X", "moved off X": not (or no longer) theirs. */
const NOT_THEIRS =
  /\b(?:not|n't|never|no longer|moved off|moving off|migrat\w+ (?:off|away from)|replac\w+|switch\w* (?:off|from|away)|get(?:ting)? rid of|sunset\w*|retir\w+)\b[^.;]{0,25}$/i;

function cleanName(raw: string): string | null {
  const words = raw.trim().split(/\s+/);
  while (words.length > 0 && NOT_A_NAME.test(words[words.length - 1]!)) words.pop();
  while (words.length > 0 && NOT_A_NAME.test(words[0]!)) words.shift();
  while (words.length > 1 && KIND_ALONE.test(words[0]!)) words.shift();
  const name = words.join(' ').replace(/[.,]+$/, '');
  if (name.length < 2 || NOT_A_NAME.test(name) || KIND_ALONE.test(name)) return null;
  return name;
}

function extractTechStack(input: FactsInput): TechStackItem[] {
  const found = new Map<string, TechStackItem>();
  const add = (raw: string, s: Sentence, confidence: number) => {
    const name = cleanName(raw);
    if (!name) return;
    const key = name.toLowerCase();
    const owner = [...input.notSystems].some((n) => key === n || key.split(' ')[0] === n);
    if (owner || found.has(key)) return;
    found.set(key, { name, confidence, evidence: evidenceForSentence(s) });
  };
  for (const s of input.sentences) {
    if (s.isQuestion) continue;
    for (const re of STACK_PATTERNS) {
      re.lastIndex = 0;
      let m: RegExpExecArray | null;
      while ((m = re.exec(s.text))) {
        if (
          NOT_THEIRS.test(
            s.text.slice(Math.max(0, m.index - 30), m.index + m[0].length - m.groups!.name!.length),
          )
        )
          continue;
        add(m.groups!.name!, s, CONFIDENCE.statedSystem);
        // Read where the match stopped (sticky): a long list is read once, not copied per name.
        LIST_TAIL.lastIndex = m.index + m[0].length;
        for (let tail = LIST_TAIL.exec(s.text); tail; tail = LIST_TAIL.exec(s.text))
          add(tail.groups!.name!, s, CONFIDENCE.statedSystem);
      }
    }
  }
  // A system customers are known to run, named anywhere, unless a fuller name of it was read
  // ("Salesforce Health Cloud" is not also "Salesforce").
  if (input.knownSystems.length === 0) return [...found.values()];
  // One pass per sentence for all of them, longest first ("Microsoft Entra ID" before "Microsoft").
  const names = [...input.knownSystems].sort((a, b) => b.length - a.length);
  const known = new RegExp(`(?<![\\w])(?:${names.map(escape).join('|')})(?![\\w])`, 'g');
  for (const s of input.sentences) {
    if (s.isQuestion) continue;
    known.lastIndex = 0;
    let m: RegExpExecArray | null;
    while ((m = known.exec(s.text))) {
      if (NOT_THEIRS.test(s.text.slice(Math.max(0, m.index - 30), m.index))) continue;
      const key = m[0].toLowerCase();
      if ([...found.keys()].some((k) => k.startsWith(`${key} `))) continue;
      add(m[0], s, CONFIDENCE.knownSystem);
    }
  }
  return [...found.values()];
}

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

// --- decision timeline ---

const NO_DECISION_DATE =
  /\b(?:(?:haven't|have not|hasn't|has not|not yet|no)\s+(?:set|picked|fixed|agreed)?\s*(?:a )?(?:date|timeline|timeframe)|no (?:date|timeline) (?:for|on) (?:a |the )?decision)\b/i;

/** When the customer decides: the timeline when it is a decision (a close date), never a go-live. */
function decisionTimelineOf(input: FactsInput): DecisionTimeline | null {
  const t = input.timeline;
  if (!t || !input.timelineIsDecision) return null;
  if (NO_DECISION_DATE.test(t.evidence.quote)) return null;
  return { date: t.date, text: t.text, confidence: CONFIDENCE.inferred, evidence: t.evidence };
}
