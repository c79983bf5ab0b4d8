import type { SourceFormat } from '../insights/schema.js';

/**
 * A conversation after parsing: one normalized text that every evidence offset points into, cut
 * into utterances. Parsers decide what is said and by whom; extractors never look at raw input.
 */
export interface Utterance {
  /** Display name of who said it (a person's name, or a role label like "Project Manager"); null in notes. */
  speaker: string | null;
  /** Offsets of the spoken or written text (without the speaker label) in `Conversation.text`. */
  start: number;
  end: number;
  /** Quoted replies in emails and similar text that is reproduced, not said, in this conversation. */
  quoted: boolean;
}

export interface Participant {
  name: string;
  title: string | null;
  email: string | null;
  company: string | null;
  affiliation: 'customer' | 'seller' | null;
  /** How the participant appears as `Utterance.speaker`, when they speak. */
  speakerLabel: string | null;
  /** The text this participant's identity was read from (a party record renders as a header line). */
  evidenceStart: number | null;
  evidenceEnd: number | null;
}

export interface CrmContext {
  opportunityId: string | null;
  accountId: string | null;
  stageName: string | null;
}

export interface Conversation {
  format: SourceFormat;
  text: string;
  utterances: Utterance[];
  participants: Participant[];
  /** YYYY-MM-DD, from the source itself (email Date header, Gong's call start) when it says. */
  meetingDate: string | null;
  /**
   * When it started and how long it ran, where the source says (Gong's metaData.started and
   * duration); an event is logged at those times, else on its day.
   */
  timing?: { start: string; minutes: number } | null;
  subject: string | null;
  crmContext: CrmContext | null;
}

export class SourceFormatError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SourceFormatError';
  }
}
