import type { StakeholderRole } from '../../../insights/schema.js';

/**
 * What the embedded extractor needs to know of a language besides English: the words people use
 * for budgets, commitments, pain and roles (the stage signals' words are in Stage_Definition__mdt's
 * Language_Signals__c). One file per language
 * (lexicon-es.ts, lexicon-zh.ts), chosen by the language `eld` detects; the rules that read them
 * (locale-*.ts) are the same for every language. English keeps its own rules (../lexicon.ts and
 * the extractor's steps), which were written first and read more than words.
 */
export interface Lexicon {
  /** The BCP 47 primary tag `eld` names the language by. */
  language: 'es' | 'zh';
  /** Said of an amount that is this purchase's budget ("presupuesto aprobado", "预算"), with a weight. */
  budgetFor: [RegExp, number][];
  /** Said of an amount that is something else: a rival's quote, our price, revenue, a signing threshold. */
  budgetAgainst: [RegExp, number][];
  /** A reply that takes the figure just said without repeating it ("aceptamos ese precio", "这个价格我们接受"). */
  acceptsPrevious: RegExp;
  /** Words that join the two ends of a range ("entre 30 y 40 mil", "30万到40万"). */
  rangeJoin: RegExp;
  /** A commitment to act; `owner` says whose: the speaker's, a named person's, the other side's, or nobody's. */
  commitments: { re: RegExp; owner: 'speaker' | 'named' | 'other' | 'none' }[];
  /** An action told as done, or only imagined: no step. */
  notCommitment: RegExp;
  /** Which commitments need a date to count (present tense said as future: "te mando", "te llamo"). */
  needsDate: RegExp;
  /** Before a date: the customer's decision or purchase ("decisión", "决定", "签约"). */
  decisionCue: RegExp;
  /** Before a date: going live ("arranque", "上线"). */
  goLiveCue: RegExp;
  /** Before a date that is no timeline: a renewal, a freeze, a call. */
  notTimelineCue: RegExp;
  pain: RegExp;
  criteria: RegExp;
  decisionProcess: RegExp;
  paperProcess: RegExp;
  objection: RegExp;
  /** Words in a person's title ("directora", "经理"). */
  titleWords: RegExp;
  /** Titles only the seller's side holds ("ejecutivo de cuentas", "客户经理"). */
  sellerTitles: RegExp;
  /** Words that mark the writer's own side in a list of attendees ("por nuestra parte", "我方"). */
  ourSide: RegExp;
  /** What is said of someone that names their part in the deal, strongest first. */
  roles: { role: StakeholderRole; re: RegExp }[];
  /** How a seller and a buyer each talk, to tell speakers' sides apart. */
  sellerCues: RegExp[];
  customerCues: RegExp[];
  /** Words before a vendor that make it a competitor, with the standing they give it. */
  competitorBefore: { label: string; cue: string }[];
  /** Words that deny what follows ("no", "没"), and that make it hypothetical ("si", "如果"). */
  negators: string[];
  hypothetical: string[];
}
