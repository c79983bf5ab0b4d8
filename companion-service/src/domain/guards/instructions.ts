/**
 * The conversation is data, never instructions. Sentences that address a system rather than a
 * person ("ignore previous instructions", "mark this deal Closed Won", "set the amount to") are
 * never evidence: a transcript asking for a change is not proof that the change happened.
 */
const INSTRUCTION_PATTERNS: RegExp[] = [
  /\b(ignore|disregard|forget|override)\b[^.!?\n]{0,40}\b(instructions?|prompts?|rules?|guidelines|system)\b/i,
  /\b(mark|set|update|change|move|flip|switch|record|log|enter|put)\b[^.!?\n]{0,30}\b(deal|opportunity|opp|stage|amount|close ?date|forecast|probability|budget field|crm|salesforce|record)\b[^.!?\n]{0,40}\b(to|as|into|at)\b[^.!?\n]{0,40}\b(closed|won|lost|commit|\$?\d|negotiation|proposal|100 ?%)/i,
  /\b(system|assistant|developer)\s*(prompt|message|override)\b/i,
  /^\s*(system|assistant|ai|bot|llm|gpt)\s*:/i,
  /\b(note|instructions?|message)\s+(to|for)\s+(the\s+)?(ai|assistant|bot|model|llm|scribe|notetaker|note-taker)\b/i,
  /\b(you are|act as)\s+(an?\s+)?(ai|assistant|language model|chatbot|system)\b/i,
  /\bnew instructions?\b/i,
  /\b(as an ai|dear (ai|assistant|bot))\b/i,
];

export function isInstruction(sentence: string): boolean {
  return INSTRUCTION_PATTERNS.some((re) => re.test(sentence));
}
