/**
 * Word lists the embedded extractor reads: titles, departments, role cues. Kept together so a reader
 * sees the whole vocabulary at once; rules that sales ops tune live in custom metadata instead.
 */

export const TITLE_WORDS = [
  'ceo', 'cfo', 'coo', 'cto', 'cio', 'ciso', 'cro', 'cmo', 'cpo', 'cco', 'cso', 'cdo', 'vp', 'svp', 'evp', 'avp',
  'vice president', 'president', 'director', 'head', 'manager', 'lead', 'chief', 'officer', 'founder', 'co-founder',
  'cofounder', 'owner', 'partner', 'principal', 'engineer', 'architect', 'analyst', 'administrator', 'admin',
  'specialist', 'coordinator', 'counsel', 'controller', 'comptroller', 'treasurer', 'buyer', 'account executive',
  'ae', 'se', 'sdr', 'bdr', 'csm', 'sales engineer', 'solutions engineer', 'solutions consultant', 'consultant',
  'customer success manager', 'rep', 'representative', 'superintendent', 'supervisor', 'executive', 'associate',
  'attorney', 'paralegal', 'recruiter', 'strategist', 'scientist', 'developer', 'designer', 'marketer', 'secretary',
  'chair', 'chairman', 'chairwoman', 'board member', 'evangelist', 'advisor', 'procurement', 'purchasing', 'legal',
  'finance', 'ops', 'operations', 'it', 'security', 'revops', 'sales ops', 'enablement', 'gm', 'general manager',
];

/** Capitalized words that start sentences or name teams, never people. */
export const NOT_NAMES = new Set(
  [
    'i', 'we', 'you', 'they', 'he', 'she', 'it', 'our', 'their', 'your', 'my', 'his', 'her', 'the', 'a', 'an', 'and',
    'but', 'or', 'so', 'if', 'then', 'also', 'yes', 'no', 'yeah', 'ok', 'okay', 'hi', 'hello', 'hey', 'thanks',
    'thank', 'great', 'good', 'sure', 'right', 'well', 'oh', 'um', 'uh', 'just', 'maybe', 'let', 'let\'s', 'can',
    'could', 'would', 'will', 'should', 'that', 'this', 'these', 'those', 'there', 'here', 'what', 'when', 'where',
    'who', 'why', 'how', 'which', 'all', 'any', 'some', 'every', 'each', 'not', 'next', 'last', 'first', 'one', 'two',
    'legal', 'finance', 'procurement', 'purchasing', 'security', 'it', 'engineering', 'marketing', 'sales', 'ops',
    'operations', 'hr', 'support', 'management', 'leadership', 'board', 'team', 'customer', 'customers', 'vendor',
    'budget', 'pricing', 'price', 'contract', 'proposal', 'quote', 'demo', 'pilot', 'trial', 'call', 'meeting',
    'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday', 'january', 'february', 'march',
    'april', 'may', 'june', 'july', 'august', 'september', 'october', 'november', 'december', 'q1', 'q2', 'q3',
    'q4', 'eb', 'ae', 'se', 'csm', 'ceo', 'cfo', 'coo', 'cto', 'cio', 'ciso', 'vp', 'svp', 'evp', 'director',
    'manager', 'head', 'chief', 'president', 'attendees', 'participants', 'notes', 'summary', 'next', 'steps',
    'action', 'items', 'decision', 'decisions', 'competitors', 'competition', 'timeline', 'pain', 'risks', 'risk',
    'champion', 'economic', 'buyer', 'subject', 'from', 'to', 'cc', 'date', 'sent', 'best', 'regards', 'cheers',
    'sincerely', 'kind', 'warm', 'dear', 'per', 're', 'fwd', 'fw', 'ps', 'note', 'update', 'follow', 'followup',
    'quick', 'recap', 'agenda', 'today', 'tomorrow', 'yesterday', 'morning', 'afternoon', 'evening', 'week',
    'month', 'quarter', 'year', 'end', 'eod', 'eow', 'eom', 'eoq', 'asap', 'tbd', 'n/a', 'usd', 'eur', 'gbp',
    'speaker', 'unknown', 'rep', 'prospect', 'interviewer', 'host', 'guest', 'user', 'users', 'agent', 'agents',
    'project', 'marketing', 'industrial', 'designer', 'interface', 'product', 'platform', 'company', 'inc', 'llc',
    'ltd', 'corp', 'gmbh', 'ag', 'sa', 'plc', 'salesforce', 'slack', 'zoom', 'teams', 'google', 'microsoft',
    'excel', 'linkedin', 'email', 'sso', 'api', 'roi', 'poc', 'msa', 'sow', 'nda', 'po', 'rfp', 'rfi', 'sla',
    'soc', 'gdpr', 'hipaa', 'crm', 'erp', 'saas', 'ai', 'ml', 'ok', 'fyi', 'btw', 'imo', 'sorry', 'please',
    'happy', 'looking', 'forward', 'talk', 'soon', 'again', 'still', 'already', 'after', 'before', 'during',
    'about', 'over', 'under', 'around', 'approximately', 'roughly', 'only', 'even', 'really', 'very', 'much',
    'absolutely', 'definitely', 'exactly', 'totally', 'honestly', 'basically', 'actually', 'anyway', 'alright',
    'awesome', 'perfect', 'cool', 'nice', 'wow', 'hmm', 'mm', 'mhm', 'huh', 'ah', 'ha', 'haha', 'bye', 'goodbye',
    'welcome', 'morning', 'everyone', 'everybody', 'folks', 'guys', 'all', 'both', 'either', 'neither', 'nobody',
    'someone', 'anyone', 'nothing', 'something', 'anything', 'everything', 'mr', 'mrs', 'ms', 'dr', 'prof',
  ].map((w) => w.toLowerCase()),
);

/** Family and friends: people named after these are small talk, not stakeholders. */
export const PERSONAL_RELATIONS =
  /\b(?:my|our|his|her|their)\s+(?:wife|husband|partner|spouse|son|daughter|kids?|children|brother|sister|brother-in-law|sister-in-law|mom|mother|dad|father|parents?|cousin|uncle|aunt|friend|buddy|neighbou?r|dog|cat|fianc[ée]e?|girlfriend|boyfriend|nephew|niece|grandma|grandpa|grandmother|grandfather)\b/i;

export const ROLE_CUES: { role: string; re: RegExp }[] = [
  { role: 'economic_buyer', re: /\b(economic buyer|EB\b|signs? off|sign-?off|final sign|signs? the (?:contract|check|cheque|po)|signature authority|approves? (?:the )?(?:budget|spend|purchase)|controls? the budget|budget owner|owns the budget|holds the purse|final say on (?:budget|spend)|signing authority)/i },
  { role: 'decision_maker', re: /\b(decision[- ]maker|makes? the (?:final )?(?:call|decision)|final decision|decides|has the final say|makes the final|executive sponsor)/i },
  { role: 'champion', re: /\b(champion|internal advocate|advocat(?:e|ing) for (?:us|this)|pushing (?:for|hard for) (?:us|this|it)|selling (?:it|this) internally|driving (?:this|the evaluation) internally|our biggest fan|big fan of)/i },
  { role: 'blocker', re: /\b(blocker|blocking (?:this|the deal|us)|skeptic(?:al)?|pushing back|not a fan|against (?:this|the project|switching)|prefers (?:the )?(?:incumbent|competitor|status quo)|loyal to)/i },
  { role: 'procurement_legal', re: /\b(procurement|purchasing|legal|counsel|contracts? (?:manager|team)|vendor management|redlines?|paper process)/i },
  { role: 'technical_evaluator', re: /\b(technical evaluat\w*|security review|security team|IT (?:team|lead|director|manager)|architect|engineer(?:ing)?|run(?:s|ning)? the (?:poc|pilot|proof of concept|trial)|integration|CTO|CIO|CISO|admin(?:istrator)?)/i },
  { role: 'user', re: /\b(end[- ]users?|will use it|uses? it (?:daily|every day)|day[- ]to[- ]day user|power user)/i },
];

/** Titles whose holder usually signs: used only when no stronger cue names a role. */
export const EB_TITLES = /\b(CFO|CEO|COO|CRO|President|Owner|Founder|Chief Financial Officer|Chief Executive Officer|Chief Operating Officer|Chief Revenue Officer|Managing Director|General Manager|Controller)\b/;
export const TECH_TITLES = /\b(CTO|CIO|CISO|Architect|Engineer|Developer|IT\b|Admin|Administrator|Security|Chief (?:Technology|Information|Information Security) Officer)/i;
export const LEGAL_TITLES = /\b(Counsel|Legal|Attorney|Paralegal|Procurement|Purchasing|Contracts|Buyer)\b/i;
export const SELLER_TITLES = /\b(Account Executive|AE|Sales Engineer|SE|Solutions? (?:Engineer|Consultant|Architect)|SDR|BDR|Account Manager|Customer Success(?: Manager)?|CSM|Sales Rep(?:resentative)?|Sales Director|Regional (?:Sales )?(?:Director|Manager)|Sales Manager|Partner Manager)\b/;
