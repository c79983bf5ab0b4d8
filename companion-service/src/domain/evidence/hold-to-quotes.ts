import type { Budget, DroppedValue, Evidence } from '../insights/schema.js';
import { MEDDPICC_KEYS } from '../insights/schema.js';
import type { Conversation } from '../source/conversation.js';
import type { DraftInsights } from '../extraction/draft.js';
import {
  amountSupported,
  countSupported,
  dateSupported,
  nameSupported,
  supportSource,
  textHeldBy,
  textSupported,
  type QuoteContext,
  type Verdict,
} from '../guards/quote-support.js';
import { groundQuote } from './ground.js';
import { contactDetailHeld } from './hold-contact-details.js';

/**
 * The gate every proposed value passes before it can become a suggestion or a write, whichever
 * extractor proposed it: its quote must be the conversation's own words (grounded, outside quoted
 * replies and instructions to a machine), and the value must be what the quote says (names, amounts,
 * dates and counts read back from it; free text a rewording of it). What fails is dropped, each with
 * its reason, so the result can say what was held back and why. Lists are checked item by item.
 */

export interface HoldContext {
  /** YYYY-MM-DD that relative dates in quotes resolve against. */
  meetingDate: string;
  /** The Competitor__mdt catalog: an alias in a quote ("Wingman") names its competitor (Clari). */
  competitors: { name: string; aliases: string[] }[];
}

export interface HeldDraft {
  draft: DraftInsights;
  dropped: DroppedValue[];
}

/** A competitor whose stated context the quote does not bear out is only said to be mentioned. */
const NEUTRAL_COMPETITOR_CONTEXT = 'mentioned';

/**
 * Where a competitor stands, as the extractors classify it (embedded/competitors.ts): a label read
 * from the quote by a rule, like a stakeholder's role, not free text to hold word by word.
 */
const STANDINGS: ReadonlySet<string> = new Set([
  NEUTRAL_COMPETITOR_CONTEXT,
  'evaluating',
  'compared',
  'incumbent',
  'incumbent being replaced',
  'lost to',
  // An earlier name for 'lost to', still in answers stored before it changed.
  'chosen instead',
  'quoting against us',
  'alternative',
  'listed as competition',
]);

/**
 * A quote that is a whole line, as a name is in a signature, is read with the line below it, where
 * a signature puts the title ("Katrin Vogel" / "Head of Purchasing").
 */
function lineBelowName(text: string, ev: Evidence): string {
  const wholeLine =
    (ev.start === 0 || text[ev.start - 1] === '\n') && (ev.end === text.length || text[ev.end] === '\n');
  if (!wholeLine || ev.end - ev.start > 60) return '';
  const next = text.indexOf('\n', ev.end + 1);
  return text.slice(
    ev.end + 1,
    next < 0 ? Math.min(text.length, ev.end + 121) : Math.min(next, ev.end + 121),
  );
}

/**
 * The source's own records (Gong parties, email headers and signatures) of the people a quote names
 * or who said it: their names, titles and companies, which a value may rest on beside the quote.
 */
function recordsAbout(conversation: Conversation, quote: string, speaker: string | null): string {
  const said = ` ${quote.toLowerCase()} `;
  return conversation.participants
    .filter(
      (p) =>
        (speaker !== null && (p.speakerLabel === speaker || p.name === speaker)) ||
        p.name
          .toLowerCase()
          .split(/\s+/)
          .some((part) => part.length > 2 && said.includes(part)),
    )
    .map((p) => [p.name, p.title, p.company].filter(Boolean).join(', '))
    .join('\n');
}

export function holdToQuotes(
  conversation: Conversation,
  draft: DraftInsights,
  context: HoldContext,
): HeldDraft {
  const dropped: DroppedValue[] = [];
  const drop = (insight: string, value: string, quote: string, reason: string) =>
    dropped.push({ insight, value, quote, reason });
  const speakerAt = (ev: Evidence) => speakerOf(conversation, ev);

  /** Grounds an item's quote and runs its checks; the item as kept, or null when dropped. */
  function hold<T extends { evidence: Evidence }>(
    insight: string,
    item: T,
    describe: (item: T) => string,
    check: (item: T, context: QuoteContext) => T | string,
  ): T | null {
    const grounded = groundQuote(conversation, item.evidence);
    if (!('evidence' in grounded)) {
      drop(insight, describe(item), item.evidence.quote, grounded.reason);
      return null;
    }
    const placed = { ...item, evidence: grounded.evidence };
    const speaker = speakerAt(grounded.evidence);
    const kept = check(placed, {
      quote: grounded.evidence.quote,
      speaker,
      meetingDate: context.meetingDate,
      about: `${recordsAbout(conversation, grounded.evidence.quote, speaker)}\n${lineBelowName(conversation.text, grounded.evidence)}`,
      addressees: conversation.participants.filter((p) => p.name !== speaker).map((p) => p.name),
    });
    if (typeof kept === 'string') {
      drop(insight, describe(item), grounded.evidence.quote, kept);
      return null;
    }
    return kept;
  }
  const list = <T extends { evidence: Evidence }>(
    insight: string,
    items: T[],
    describe: (item: T) => string,
    check: (item: T, context: QuoteContext) => T | string,
  ) => items.flatMap((item) => hold(insight, item, describe, check) ?? []);
  const one = <T extends { evidence: Evidence }>(
    insight: string,
    item: T | null,
    describe: (item: T) => string,
    check: (item: T, context: QuoteContext) => T | string,
  ) => (item ? hold(insight, item, describe, check) : null);

  /** A part of an item (an owner, a due date, a title) that fails is dropped alone. */
  const part = <V>(insight: string, value: V, quote: string, verdict: Verdict): V | null => {
    if (verdict.ok) return value;
    drop(insight, String(value), quote, verdict.reason);
    return null;
  };
  const verdictOr = <T>(verdict: Verdict, kept: () => T): T | string =>
    verdict.ok ? kept() : verdict.reason;

  const statement =
    (insight: string) =>
    <T extends { text: string; evidence: Evidence }>(items: T[]) =>
      list(
        insight,
        items,
        (s) => s.text,
        (s, ctx) => verdictOr(textSupported(s.text, ctx), () => s),
      );

  /** Each end of a budget range is held to its own quote; a range that fails either end is no range. */
  const holdRange = (b: Budget): Budget => {
    if (!b.range) return { ...b, range: b.range ?? null };
    const end = (which: 'low' | 'high') =>
      one(
        `budget.range.${which}`,
        b.range![which],
        (e) => `${e.amount} ${b.currency}`,
        (e, ctx) => verdictOr(amountSupported(e.amount, b.currency, ctx.quote), () => e),
      );
    const low = end('low');
    const high = end('high');
    if (!low || !high) return { ...b, range: null };
    if (!(low.amount < high.amount)) {
      drop(
        'budget.range',
        `${low.amount}-${high.amount} ${b.currency}`,
        low.evidence.quote,
        'the low end of a range must be below its high end',
      );
      return { ...b, range: null };
    }
    return { ...b, range: { low, high } };
  };

  const aliasesOf = (name: string) => context.competitors.find((e) => e.name === name)?.aliases ?? [];
  const meddpicc = { ...draft.meddpicc };
  for (const key of MEDDPICC_KEYS) {
    meddpicc[key] =
      key === 'competition'
        ? list(
            'meddpicc.competition',
            draft.meddpicc.competition,
            (s) => s.text,
            (s, ctx) => {
              // "Clari: evaluating" names a competitor and classifies it, as a competitor's context does.
              const standing = /^(.+?):\s*(.+)$/.exec(s.text);
              if (standing && STANDINGS.has(standing[2]!.toLowerCase())) {
                return verdictOr(nameSupported(standing[1]!, ctx, aliasesOf(standing[1]!)), () => s);
              }
              return verdictOr(textSupported(s.text, ctx), () => s);
            },
          )
        : statement(`meddpicc.${key}`)(draft.meddpicc[key]);
  }

  const held: DraftInsights = {
    ...draft,
    decisions: statement('decisions')(draft.decisions),
    objections: statement('objections')(draft.objections),
    nextSteps: list(
      'nextSteps',
      draft.nextSteps,
      (s) => s.text,
      (s, ctx) =>
        verdictOr(textSupported(s.text, ctx), () => ({
          ...s,
          owner: s.owner && part('nextSteps.owner', s.owner, ctx.quote, nameSupported(s.owner, ctx)),
          dueDate:
            s.dueDate &&
            part(
              'nextSteps.dueDate',
              s.dueDate,
              ctx.quote,
              dateSupported(s.dueDate, ctx.quote, context.meetingDate),
            ),
        })),
    ),
    stakeholders: list(
      'stakeholders',
      draft.stakeholders,
      (p) => p.name,
      (p, ctx) =>
        verdictOr(nameSupported(p.name, ctx), () => ({
          ...p,
          title: p.title && part('stakeholders.title', p.title, ctx.quote, textSupported(p.title, ctx)),
        })),
    ),
    contactDetails:
      draft.contactDetails &&
      list('contactDetails', draft.contactDetails, (d) => `${d.kind} of ${d.person}`, contactDetailHeld),
    budget: one(
      'budget',
      draft.budget,
      (b) => `${b.amount} ${b.currency}`,
      (b, ctx) => verdictOr(amountSupported(b.amount, b.currency, ctx.quote), () => holdRange(b)),
    ),
    timeline: one(
      'timeline',
      draft.timeline,
      (t) => t.date ?? t.text,
      (t, ctx) =>
        verdictOr(textSupported(t.text, ctx), () => ({
          ...t,
          date:
            t.date &&
            part('timeline.date', t.date, ctx.quote, dateSupported(t.date, ctx.quote, context.meetingDate)),
        })),
    ),
    competitors: list(
      'competitors',
      draft.competitors,
      (c) => c.name,
      (c, ctx) =>
        verdictOr(nameSupported(c.name, ctx, aliasesOf(c.name)), () => ({
          ...c,
          context: STANDINGS.has(c.context.toLowerCase())
            ? c.context
            : (part('competitors.context', c.context, ctx.quote, textSupported(c.context, ctx)) ??
              NEUTRAL_COMPETITOR_CONTEXT),
        })),
    ),
    useCase: one(
      'useCase',
      draft.useCase,
      (u) => u.text,
      (u, ctx) => verdictOr(textSupported(u.text, ctx), () => u),
    ),
    seatCount: one(
      'seatCount',
      draft.seatCount,
      (s) => String(s.count),
      (s, ctx) => verdictOr(countSupported(s.count, ctx.quote), () => s),
    ),
    employeeCount: one(
      'employeeCount',
      draft.employeeCount ?? null,
      (e) => String(e.count),
      (e, ctx) => verdictOr(countSupported(e.count, ctx.quote), () => e),
    ),
    annualRevenue: one(
      'annualRevenue',
      draft.annualRevenue ?? null,
      (r) => `${r.amount} ${r.currency}`,
      (r, ctx) => verdictOr(amountSupported(r.amount, r.currency, ctx.quote), () => r),
    ),
    techStack: list(
      'techStack',
      draft.techStack ?? [],
      (t) => t.name,
      (t, ctx) => verdictOr(nameSupported(t.name, ctx), () => t),
    ),
    decisionTimeline: one(
      'decisionTimeline',
      draft.decisionTimeline ?? null,
      (t) => t.date ?? t.text,
      (t, ctx) =>
        verdictOr(textSupported(t.text, ctx), () => ({
          ...t,
          date:
            t.date &&
            part(
              'decisionTimeline.date',
              t.date,
              ctx.quote,
              dateSupported(t.date, ctx.quote, context.meetingDate),
            ),
        })),
    ),
    meddpicc,
    proposedStage: holdProposedStage(draft.proposedStage, conversation, context.meetingDate, drop),
  };
  // A timeline whose date fell is no close date.
  if (!held.timeline?.date) held.timelineIsDecision = false;
  return { draft: held, dropped };
}

/** Who said the quote: "I" in it is that person. */
function speakerOf(conversation: Conversation, ev: Evidence): string | null {
  return conversation.utterances.find((u) => ev.start >= u.start && ev.start < u.end)?.speaker ?? null;
}

/**
 * A stage a model proposes stands on its grounded quotes; the reasons it gives are free text held to
 * those quotes, and when none holds, the quotes themselves are the reasons.
 */
function holdProposedStage(
  proposed: DraftInsights['proposedStage'],
  conversation: Conversation,
  meetingDate: string,
  drop: (insight: string, value: string, quote: string, reason: string) => void,
): DraftInsights['proposedStage'] {
  if (!proposed) return null;
  const evidence: Evidence[] = [];
  for (const e of proposed.evidence) {
    const grounded = groundQuote(conversation, e);
    if ('evidence' in grounded) evidence.push(grounded.evidence);
    else drop('proposedStage', proposed.to, e.quote, grounded.reason);
  }
  if (evidence.length === 0) return null;
  const quotes = evidence.map((e) => e.quote).join('\n');
  const speakers = evidence.map((e) => speakerOf(conversation, e) ?? '').join('\n');
  const source = supportSource(`${quotes}\n${speakers}`, meetingDate);
  const reasons = proposed.reasons.filter((reason) => {
    const verdict = textHeldBy(reason, source);
    if (!verdict.ok) drop('proposedStage.reasons', reason, quotes, verdict.reason);
    return verdict.ok;
  });
  return {
    ...proposed,
    evidence,
    reasons: reasons.length > 0 ? reasons : evidence.map((e) => `said: "${e.quote}"`),
  };
}

/**
 * A summary a model wrote is kept only when every line of it is borne out by the conversation's own
 * words (as free text is by its quote) and claims no closed deal; otherwise it is dropped whole, line
 * by line in the record, and the summary built from the kept insights stands instead.
 */
export function holdSummary(
  summary: string,
  conversation: Conversation,
  meetingDate: string,
): { summary: string | null; dropped: DroppedValue[] } {
  const text = summary.trim();
  if (!text) return { summary: null, dropped: [] };
  const source = supportSource(conversation.text, meetingDate);
  const dropped: DroppedValue[] = [];
  for (const line of text.split(/(?<=[.!?])\s+|\n+/).filter((l) => l.trim())) {
    const verdict: Verdict = /\bclosed[- ](?:won|lost)\b/i.test(line)
      ? { ok: false, reason: 'it claims a closed deal, which only a rep records' }
      : textHeldBy(line, source, 'the conversation');
    if (!verdict.ok) dropped.push({ insight: 'summary', value: line, quote: '', reason: verdict.reason });
  }
  return dropped.length > 0 ? { summary: null, dropped } : { summary: text, dropped };
}
