/**
 * The words that say what an amount is to the customer, weighed for budget.ts: what pulls a figure
 * toward being their budget (an approval, an acceptance, a ceiling) and what pushes it away (a list
 * price, our quote, a refusal, a hedge, a signing threshold, past spend, money that is gone).
 * Generic verbs and nouns only: no company, product or phrase of one conversation.
 */

export const POSITIVE: [RegExp, number][] = [
  [/\b(?:capex|opex|budget line|allocation|allocated|line item|hard cap|ceiling)\b/i, 3],
  [/\b(?:we|they) (?:can|could) (?:do|go (?:up )?to|stretch to|manage)\b/i, 3],
  // A counter-offer: "we'd need it closer to 70k", "if you can bring it down to 90k".
  [
    /\b(?:closer to|(?:get|bring|come) (?:it |that |this |the price )?down to|meet (?:us|you) (?:at|in the middle at))\b/i,
    4,
  ],
  [
    /\bthe (?:number|figure|amount) (?:we have|we've got|we can (?:approve|do|spend|go to)|we're working with|is)\b|\b(?:is|was|'s) (?:the|our) (?:number|figure|ceiling|cap|limit|max(?:imum)?)\b/i,
    4,
  ],
  // The customer naming their figure, with a few words between: "the number finance gave me is",
  // "our spend limit for the whole thing is", "the cap is", "our range is". Not "the number of users".
  [
    /\b(?:our|the|my) (?:[\w-]+ )?(?:number|figure|ceiling|cap|limit|target|max(?:imum)?|range)\b(?! of)(?:[\w\s'-]{0,30}?)\b(?:is|was|would be|'s)\b/i,
    4,
  ],
  // What the customer calls workable: "between $25,000 and $35,000 is realistic for us".
  [
    /\b(?:is|are|would be|'s) (?:realistic|doable|workable|feasible|affordable|comfortable)(?: for (?:us|me))?\b/i,
    3,
  ],
  // A line of the customer's plan: "60 grand in the tools line", "45 out of the operations line".
  [/\b(?:in|out of|from) (?:the|our|my|this year's|next year's) (?:[\w-]+ ){0,3}line\b/i, 3],
  [/\b(?:can|could) approve\b|\bapprov(?:e|es)\b/i, 3],
  // "We have the money: 45,000 for year one", "the funds are in place".
  [
    /\b(?:we|they|I)(?:'ve| have)? (?:got )?the (?:money|funds|budget|cash)\b|\bthe (?:money|funds|budget) (?:is|are) (?:there|approved|available|in place)\b/i,
    3,
  ],
  [/\b(?:ACV|TCV|annual contract value|total contract value|contract value|deal (?:value|size))\b/i, 3],
  [/\bbudget(?:ed|s|ing)?\b/i, 4],
  [
    /\b(?:(?:set|put|kept|laid) aside|allocated|earmarked|approved|approval for|signed off on|sign-?off (?:for|on)|green-?lit|green light|releas(?:e|es|ed|ing)|freed up|unlocked|secured|committed|ok'?d|okayed|authori[sz]ed (?:for|to spend|up to)|(?:gave|given|giving) (?:us|me)|(?:were|was|been|got) given)\b/i,
    3,
  ],
  [
    // Rep notes and memos speak of the customer in the third person: "they've got", "she has".
    /\b(?:(?:we|they)(?:'ve| have)? (?:got|been given|been allocated|been approved for)|(?:she|he)(?:'s| has) (?:got|been given|been allocated|been approved for)|(?:we|they|I) have|(?:she|he) has|there(?:'s| is))\b/i,
    2,
  ],
  [/\b(?:purchase order|PO|contract|order form|signed)\b[^.]{0,30}\bfor\b/i, 3],
  [/\b(?:purchase order|PO|order form)\b|\bto (?:work with|play with)\b/i, 3],
  [
    /\bfor (?:this|the) [\w -]{0,30}?(?:project|initiative|purchase|program|rollout|implementation|tooling|platform|switch)\b/i,
    2,
  ],
  [
    /\b(?:can|could|will|'ll|able to|willing to|prepared to|plan to|planning to|looking to) (?:spend|invest|pay|go up to|stretch to)\b/i,
    4,
  ],
  [
    /\b(?:up to|no more than|cap(?:ped)? at|ceiling|max(?:imum)?|not to exceed|tops?|at most|the most we|as high as|all[- ]in|(?:stay|keep (?:it |this |us )?|be) (?:at or )?(?:under|below|within))\b/i,
    3,
  ],
  // "We can't go over 90k": a ceiling said as a refusal to exceed it.
  [
    /\b(?:can't|cannot|can not|won't|will not|not|never) (?:go|going|spend|pay|be|get)? ?(?:over|above|beyond|past|higher than|more than|exceed)\b/i,
    4,
  ],
  // Committing, authorising or reserving money, in any tense: "we're prepared to commit $75,000",
  // "procurement has capped this at £85,000", "I got the go-ahead for $64K", "the funds we have".
  [
    /\b(?:commit(?:s|ted|ting|ment)?|authori[sz](?:e|ed|es|ing|ation)|sanction(?:ed|s)?|earmark(?:ed|s)?|allocat(?:e|es|ion)|reserv(?:e|ed)|ring-?fenced?|cap(?:ped|s)? (?:\w+ )?at|go-?ahead|(?:prepared|willing|ready|happy) to (?:commit|spend|pay|invest|sign|go|do|proceed|move)|good to go|mov(?:e|ing) (?:ahead|forward) (?:at|with)|proceed(?:ing)? (?:at|with)|funds? (?:we have|we've got|available|allocated|for (?:this|the))|we'?re in\b)/i,
    3,
  ],
  // A counter-offer named as one: "we're countering at $115,000", "our counter is $118,000".
  [/\bcounter(?:ing|ed|s)?(?:[- ]?(?:offer|proposal))?\b(?! ?(?:party|sign))/i, 5],
  // A limit or a line in the plan: "a cap of €60,000", "a line in next year's plan for 250k".
  [
    /\b(?:cap|limit|ceiling|max(?:imum)?|envelope|allowance) of\b|\b(?:a )?line (?:item )?in (?:the|our|next year's|this year's) (?:\w+ )?(?:plan|budget)\b|\bin (?:the |our |their |next year's |this year's )?(?:(?:FY ?)?\d{2,4} |annual |operating |capital )*plan\b/i,
    3,
  ],
  // "... ninety thousand dollars for this": the money is for this purchase.
  [/\bfor (?:this|it)\s*[.!]?$/i, 1],
  // "... 45,000 for year one": the money is for a period of this purchase.
  [/\bfor (?:year one|year 1|the first year|the year|this year|this fiscal(?: year)?)\b/i, 2],
  [/\b(?:spend|afford|investment|for this (?:project|purchase|initiative))\b/i, 1],
  [/^\s*(?:budget|money)\s*[:=-]/i, 4],
  [/(?:^|\s)\$\$(?=[\s:=~-]|$)/, 4],
  // "somewhere in the 200-250k range", "ballpark 80k": the customer's own figure, loosely held.
  [/\b(?:range|ballpark|somewhere (?:between|around|in))\b/i, 2],
  [/\b(?:we're|we are|we were|I'm|I was) (?:thinking|targeting|aiming for|looking at)\b/i, 3],
];

/**
 * The customer taking a figure as theirs: "I'll sign off on the $150,000", "we can do 120k", "that
 * works for us", "we agreed on 80k". It outweighs the words that say whose price it first was.
 */
export const ACCEPTANCE =
  /\b(?:sign(?:ed|ing)? off on|approved (?:the|your|our|that|this)|(?:I|we)(?:'ll| will| can| could)? (?:approve|sign|accept|commit to|go with|live with|do)\b|(?:I|we)(?:'re| are| am|'m|'d be| would be| can be| could be) (?:good|fine|ok|okay|happy|comfortable) (?:with|at)|works? for (?:us|me|our)|agreed? (?:to|on)|as (?:we |was |previously )?agreed|(?:we|I)(?:'ve| have)? (?:settled|landed|agreed|closed) (?:at|on)|accept(?:ed|s|ing)?|let'?s (?:do|go with|lock in)|lock(?:ed)? in|green-?light(?:ed|s)?|commit(?:ted)? to|go(?:od to go|-| )ahead|mov(?:e|ing) (?:ahead|forward) (?:at|with)|proceed(?:ing)? (?:at|with)|(?:prepared|willing|ready) to (?:commit|pay|sign|proceed)|write (?:it|this|that) up|paper (?:it|this|that)|(?:will|'ll|can|would|could) (?:sign|approve|sign off) (?:at|on|for))\b/i;
/** "$48,500 it is": the figure taken, said after it. */
export const ACCEPTED_AFTER =
  /^\s*,?\s*(?:it is|it's a deal|works(?: for (?:us|me))?|(?:is|was|has been|had been|got|'s been) (?:now )?(?:fine|ok|okay|doable|workable|manageable|approved|signed off|agreed|accepted|green-?lit)|it'll be)\b/i;
/**
 * A reply that takes the figure just said without repeating it: "I'll sign off on that", "that
 * number works for us", "we can live with that". The figure is in the sentence before; the reply
 * weighs like a stated budget with an approval word, since the customer took the figure as theirs.
 */
export const ACCEPTS_PREVIOUS: [RegExp, number] = [
  /\b(?:sign(?:ed)? off on|approve|accept|go with|live with|agree to|(?:good|fine|happy|comfortable) with|commit to|lock in|do|make)\s+(?:that|it|this|those|(?:the|your|this|that) (?:best |final |last |latest |new )?(?:number|price|figure|amount|offer|terms|quote|proposal|pricing|revised (?:number|price|offer|terms|quote|proposal)))(?: work)?\b(?!\s+(?:later|first|when|after|once|by|next|tomorrow))|\b(?:that|this|the) (?:number|price|figure|amount|offer)? ?works for (?:us|me)\b|\b(?:that|this|it)(?:'s| is| fits| falls| comes in) (?:with)?in (?:our|the) budget\b|\b(?:that|this|it)(?:'s| is) (?:fine|doable|workable|acceptable|manageable)\b(?! (?:for now|as a start|to start))|\bwe can make (?:that|it|this) work\b|\bget (?:that|it|this) (?:approved|signed off|through (?:finance|procurement))\b|\b(?:PO|purchase order) (?:raised |issued |cut )?for (?:that|it|this|the amount)\b|\bfor that amount\b|^\W*(?:(?:ok(?:ay)?|yes|sure|fine|great)\W+)?(?:deal|agreed|done|go ahead|let'?s do it|let'?s proceed|we'?re in|count us in|we'?re good to go)\b/i,
  7,
];

/**
 * "Yes, that's right", "Correct", "Exactly": the customer confirming a figure our side just restated
 * as theirs ("so you have $90,000 set aside?"). Only a reply to a question that recaps (RECAP).
 */
export const AFFIRMS =
  /^(?:[A-Z][\w.'-]*(?: [A-Z][\w.'-]*){0,3}:\s*)?\W*(?:yes|yep|yeah|yup|correct|that's (?:right|correct)|that is (?:right|correct)|exactly|confirmed|right)\b/i;

/**
 * A signature reported as done: "we signed the order form this morning", "the agreement came back
 * fully signed". The figure said with it, or in the sentence after, is what the customer committed to.
 */
export const SIGNED =
  /\b(?:signed|countersigned|counter-signed|fully executed|executed)\b(?![^.]{0,20}\b(?:by|before|once|when)\b)/i;
/** A signature still to come or denied: "once it's signed", "hasn't signed", "will sign". */
export const NOT_SIGNED_YET =
  /\b(?:once|when|if|until|before|will|would|'ll|going to|need to|needs to|yet|not|n't|never|to be)\b[^.]{0,25}\b(?:signed|countersigned|executed)\b/i;

/** Whose price a figure was before anyone accepted it: ours, a list price, a quote. Acceptance overrides these. */
export const OFFERED: [RegExp, number][] = [
  [
    /\b(?:quoted|quote from|quote came in|came in at|offered us|their price|their pricing|charging us|charges)\b/i,
    -3,
  ],
  [
    /\b(?:our|the|my|your) (?:proposal|quote|price|pricing|offer)\b|\bwe (?:quoted|proposed|offered)\b|\bforecast\b|\bproposal (?:was|is|came|at)\b|\b(?:sent|send|sending|shared|submitted) (?:them |over |out )?(?:a |the |our |my )?(?:revised )?(?:proposal|quote|pricing|price)|\b(?:proposal|quote|pricing|offer) (?:@|at|of)/i,
    -6,
  ],
  [
    /\b(?:list(?: price)?|at list|sticker(?: price)?|msrp|rack rate|rate card|retail|full price|pricing page|start(?:s|ing) at|standard (?:price|pricing|rate))\b/i,
    -6,
  ],
  [/\b(?:discount(?:ed|s)?|\d+ ?(?:%|percent) off|rebate)\b/i, -4],
];

/** Money that is gone or never was, said anywhere in the sentence: "we had 200k set aside, but it got pulled". */
export const GONE =
  /\b(?:is gone|was gone|(?:been |was |got )?pulled(?: back)?|no longer (?:there|available)|redirected|reallocated|clawed back|taken away|was cut(?! to| down to)|got cut(?! to| down to)|disappeared|evaporated|frozen)\b/i;

export const NEGATIVE: [RegExp, number][] = [
  [
    /\b(?:no (?:actual )?budget|didn't give (?:me |us )?(?:an? )?(?:actual )?(?:budget|number)|up for review|under review|could we get it under|get it under)\b/i,
    -5,
  ],
  [/\bin [\w-]+ (?:sales|revenue|turnover)\b|\bsales a year\b/i, -6],
  // An approval still to come: "we need to see the ROI on a $100k spend before anyone approves anything".
  [
    /\bbefore (?:anyone|anybody|we|they|finance|the board|the CFO|it) (?:approves?|signs?|commits?|gets approved)\b/i,
    -5,
  ],
  // Money that is gone or never was: "the 250k we'd set aside is gone", "if they ever got budget".
  [GONE, -7],
  [/\bif they ever|\bif we ever|\bwould be like|\bnot real\b|\bwouldn't commit|\bhypothetical/i, -5],
  [
    /\b(?:revenue|arr|mrr|turnover|sales of|valuation|raised (?:a |our |their )?(?:series|round|seed|funding|capital|\$|€|£|\d)|funding|series [a-e]|round|ipo|market cap|profit|ebitda|gmv)\b/i,
    -6,
  ],
  [
    /\b(?:employees|headcount|staff|people|salary|salaries|per hour|hourly|per month per|per seat|per user|per license|a seat|each seat)\b/i,
    -3,
  ],
  [/\b(?:last year|previous(?:ly)?|used to|in 20\d\d|historically|paid (?:for|to) )\b/i, -2],
  // What is spent today or was spent before, not what this purchase may cost.
  [
    /\b(?:we|they|I) (?:spent|paid|pay|spend)\b|\b(?:we're|we are|they're|they are) (?:paying|spending)\b|\bcurrently (?:pay|paying|spend|spending)\b|\brenewal (?:was|came|is)\b/i,
    -4,
  ],
  [/\b(?:lost|losing|cost(?:s|ing)? us|wasted|waste|fines?|penalt(?:y|ies)|savings?|save|saving)\b/i, -2],
  [/\b(?:GDP|gross domestic product)\b/i, -6],
];

/**
 * A signing threshold says who approves what, not what this purchase may cost: "I can approve
 * anything under $25k on my own", "anything over $100,000 needs board sign-off", "my signing authority is 50k".
 */
export const THRESHOLD =
  /\b(?:approve|sign(?:[- ]off)?|authori[sz]e)\b[^.;]{0,40}\b(?:myself|by myself|alone|without (?:the |our )?(?:board|CFO|CEO|committee))\b|\b(?:above|over|beyond) (?:that|this)\b[^.;]{0,30}\b(?:goes to|needs|requires|has to go)\b|\b(?:anything|everything|any (?:purchase|deal|contract|spend)|purchases?|deals?|contracts?) (?:over|above|under|below|more than|less than|greater than|north of|[<>])|\bsigning (?:authority|limit|threshold|power)|\b(?:approval|sign-?off|spending|discretionary|signature) (?:limit|threshold|authority)|\bon (?:my|his|her|their) own\b|\b(?:spend|spending) (?:over|above|more than|north of)\b|\b(?:over|above|more than|north of|exceeding|greater than|>)\s*[$€£]?\d[\d.,]*\s?(?:k|m|mm|thousand|million)?\s+(?:\w+\s+){0,3}?(?:needs?|requires?|goes to|has to go|must go|triggers?)\b/i;

/**
 * "We don't have 100k", "I can't sign off on 150k", "that isn't approved": the customer refusing a
 * figure. "Can't go over 120k" and "not to exceed" state a ceiling instead, which is a budget.
 */
export const NEGATION =
  /\b(?:don't|do not|doesn't|does not|didn't|did not|can't|cannot|can not|couldn't|won't|will not|wouldn't|isn't|is not|aren't|wasn't|haven't|hasn't|never|no way|nowhere near|not)\b/i;
export const CEILING_AFTER_NEGATION =
  /\b(?:not to exceed|(?:go|going|be|spend|pay|get) (?:over|above|beyond|past|higher than|more than)|more than|exceed|over|above|north of)\b/i;
/** "100k isn't approved", "80k is not something we have". */
export const NEGATED_AFTER =
  /^\s*(?:(?:is|was|has|had|were|are)(?:n't| not)|(?:is|was|has|are|were) (?:not|never|no longer)|(?:is|was) nowhere near)\b/i;
/** "Maybe if it were 50k", "we might find 40k": a figure floated, not committed. */
export const HEDGE =
  /\b(?:maybe|perhaps|possibly|probably|might|hypothetically|in theory|wishful|I doubt|doubt (?:we|it|that)|not sure|unlikely|in a perfect world)\b/i;
export const HYPOTHETICAL = /\bif (?:it|that|this|the (?:price|cost|number|total)) (?:were|was)\b/i;
/**
 * An unreal condition about the customer's own means: "if we had budget, we'd probably go to a hundred
 * thousand, but we don't", "if they were given the money". The figure is what they would spend in a
 * world they say is not this one, wherever in the sentence the condition stands.
 */
export const COUNTERFACTUAL =
  /\bif (?:we|I|they|she|he) (?:had|were given|was given|could get|could find)\b(?! (?:approved|signed|the (?:PO|contract|order form)))/i;
/** "If you can get it to 120k, we'll sign": a condition with a commitment attached is a counter-offer. */
export const COMMITMENT =
  /\b(?:we(?:'ll| will| can)|I(?:'ll| will| can))\s+(?:sign|approve|do it|commit|move forward|go ahead|close|buy)\b/i;
/**
 * Our side restating the customer's figure ("so your budget is 80k") still speaks of their money; and
 * a speaker read as ours who says "our budget" is the customer, misread.
 */
export const RECAP =
  /\bour (?:\w+ )?(?:budget|ceiling|cap|spend)\b|\b(?:your (?:budget|ceiling|number|cap|target)|you(?:'ve| have)? (?:approved|got|said|mentioned|told)|you(?:'ve| have)? (?:\w+ ){0,3}(?:set aside|budgeted|allocated|earmarked|approved)|you (?:can|could) (?:do|spend)|you(?:'re| are) working with|to confirm)\b/i;
/**
 * "Would you take $90k?", "could you get it down to 95k?": a customer's counter-offer put as a
 * question still names the ceiling they will pay.
 */
export const COUNTER_QUESTION =
  /\b(?:(?:would|could|can|will) you (?:consider|do|take|accept|go (?:down )?to|come down to|meet us at|get (?:it |that |this )?(?:down )?to|match)|(?:could|can|would|shall) we (?:meet|settle|land|agree|do it|do this|close|sign)|how about|what about)\b/i;
/**
 * "We've agreed on $104,000 for year one, correct?": a statement with a tag asking to confirm it, not
 * a question about the figure.
 */
export const TAG_QUESTION =
  /,\s*(?:correct|right|yes|yeah|no|ok|okay|agreed|yeah\?|isn't it|didn't we|don't we)\s*\?\s*$/i;

/**
 * A question about what the customer can spend ("what budget have you been given?", "how much can
 * you spend?"): the figure answered in the next breath is said as the budget.
 */
export const BUDGET_QUESTION =
  /\b(?:budget(?:ed)?|ceiling|how much (?:can|could|would|will|are you able to) (?:you|they) (?:spend|invest|afford|put|commit|go)|what (?:number|figure|amount|range) (?:can|could|would|will) (?:you|they)|(?:have|got) to work with)\b/i;
/** "What do you spend today?", "what are you paying now?": the answer is spend, not budget. */
export const SPEND_NOW =
  /\b(?:today|currently|now|at the moment|last year|this year's spend|paying|pay|spend(?:ing)? on)\b/i;

/** An amount followed by a unit counts things, not money ("54,000 orders", "2,000 employees"). */
export const COUNTED =
  /^\s*(?:units?|items?|orders?(?! form)|tickets?|calls|requests|transactions|records|rows|users|employees|people|customers|stores|locations|sq ?ft|miles|km|hours|minutes|days|seats|licen[cs]es|agents|reps|members|students|patients|vehicles|trucks|drivers|nurses|engineers|devices|endpoints|accounts|sites|beds|claims|shipments|parcels)\b/i;
/** A bare number before a plural noun counts things too ("1,200 technicians"). */
export const BARE_COUNTED = /^\s*[a-z]+s\b/i;
/** "we have 60,000", "I've got two hundred thousand": an amount someone holds for this. */
export const HOLDING =
  /\b(?:(?:we|I|they)(?:'ve| have)? (?:have|got)|(?:she|he)(?:'s| has)? (?:has|got))\s+(?:about |around |roughly |up to |maybe |almost |nearly )?(?:[$€£]|\d|[a-z]+(?:[ -][a-z]+){0,3}[ -](?:hundred|thousand|million|grand|k\b))/i;
/**
 * "Your quote of $210,000 is above what we can do", "more than we can spend": the figure is beyond
 * the customer's means, whoever's it was. Read in the figure's own clause, so the ceiling said next
 * ("the most we can commit is $180,000") keeps its weight.
 */
export const BEYOND_MEANS =
  /\b(?:above|over|beyond|more than|higher than|exceeds?|exceeding|outside) (?:what|anything) (?:we|I|they|our \w+) (?:can|could|have|had|are able to|were able to|'re able to)\b|\b(?:more|higher) than (?:we|I) (?:can|could) (?:do|spend|afford|justify|pay|stretch)\b|\b(?:out of|beyond) (?:our|my|the) (?:reach|means|range)\b|\btoo (?:much|high|expensive|rich|steep)\b/i;
/** "It's not in the budget", "that's over our budget": the sentence's figure is what the budget is not. */
export const OUTSIDE_BUDGET =
  /\b(?:not|isn't|wasn't|aren't|never) (?:in|within|part of) (?:the |our |this year's )?budget|\b(?:outside|over|above|beyond|exceeds?|exceeding) (?:of )?(?:the |our |this year's )?budget|\bnot budgeted\b/i;
