import { describe, expect, it } from 'vitest';
import { chunkConversation, type ConversationChunk } from '../../../src/domain/extraction/chunking.js';
import { parseConversation } from '../../../src/domain/source/detect.js';

function transcript(turns: number): string {
  const lines: string[] = [];
  for (let i = 0; i < turns; i++) {
    const speaker = i % 2 === 0 ? 'Dana Whitfield' : 'Sam Rivera';
    lines.push(
      `${speaker}: Turn ${i + 1}: we went through the rollout plan and it looks reasonable for the team.`,
    );
  }
  return lines.join('\n') + '\n';
}

function expectContiguousCover(text: string, chunks: ConversationChunk[]): void {
  expect(chunks[0]!.start).toBe(0);
  expect(chunks.at(-1)!.end).toBe(text.length);
  for (const [i, chunk] of chunks.entries()) {
    expect(chunk.index).toBe(i);
    expect(chunk.text).toBe(text.slice(chunk.start, chunk.end));
    if (i > 0) expect(chunk.start).toBeLessThanOrEqual(chunks[i - 1]!.end);
    if (i > 0) expect(chunk.end).toBeGreaterThan(chunks[i - 1]!.end);
  }
}

describe('chunkConversation', () => {
  it('keeps a conversation that fits in one chunk whole', () => {
    const conversation = parseConversation(transcript(4));
    expect(chunkConversation(conversation, { maxChars: 12_000, overlapChars: 1_200 })).toEqual([
      { index: 0, start: 0, end: conversation.text.length, text: conversation.text },
    ]);
  });

  it('cuts a long transcript between turns, each chunk within the size, covering all of it', () => {
    const conversation = parseConversation(transcript(60));
    const chunks = chunkConversation(conversation, { maxChars: 1_000, overlapChars: 200 });

    expect(chunks.length).toBeGreaterThan(5);
    expectContiguousCover(conversation.text, chunks);
    for (const chunk of chunks) {
      expect(chunk.text.length).toBeLessThanOrEqual(1_000);
      // Each chunk starts with a speaker label and ends with a whole turn.
      expect(chunk.text).toMatch(/^(Dana Whitfield|Sam Rivera): Turn \d+:/);
      expect(chunk.text.endsWith('for the team.\n')).toBe(true);
    }
  });

  it('repeats the last turns of a chunk at the start of the next, within the overlap', () => {
    const conversation = parseConversation(transcript(60));
    const chunks = chunkConversation(conversation, { maxChars: 1_000, overlapChars: 200 });
    for (let i = 1; i < chunks.length; i++) {
      const shared = chunks[i - 1]!.end - chunks[i]!.start;
      expect(shared).toBeGreaterThan(0);
      expect(shared).toBeLessThanOrEqual(200);
    }
  });

  it('does not overlap when asked not to', () => {
    const conversation = parseConversation(transcript(60));
    const chunks = chunkConversation(conversation, { maxChars: 1_000, overlapChars: 0 });
    for (let i = 1; i < chunks.length; i++) expect(chunks[i]!.start).toBe(chunks[i - 1]!.end);
  });

  it('cuts a turn longer than a chunk at sentence ends', () => {
    const sentence = 'This is one long sentence about the rollout plan that keeps on going. ';
    const conversation = parseConversation(`Dana Whitfield: ${sentence.repeat(50)}\nSam Rivera: Thanks.\n`);
    const chunks = chunkConversation(conversation, { maxChars: 800, overlapChars: 100 });

    expect(chunks.length).toBeGreaterThan(3);
    expectContiguousCover(conversation.text, chunks);
    for (const chunk of chunks.slice(0, -1)) {
      expect(chunk.text.length).toBeLessThanOrEqual(800);
      expect(chunk.text).toMatch(/going\. $/);
    }
  });

  it('chunks notes line by line, with the header in the first chunk', () => {
    const lines = Array.from(
      { length: 80 },
      (_, i) => `- Point ${i + 1}: customer wants fewer manual CRM updates`,
    );
    const conversation = parseConversation(
      `Account: Acme Corp\nAttendees: Dana, Sam\n\n${lines.join('\n')}\n`,
    );
    const chunks = chunkConversation(conversation, { maxChars: 600, overlapChars: 120 });

    expectContiguousCover(conversation.text, chunks);
    expect(chunks[0]!.text.startsWith('Account: Acme Corp')).toBe(true);
    for (const chunk of chunks.slice(1)) expect(chunk.text).toMatch(/^- Point \d+:/);
  });

  it('never makes chunks too small to say anything', () => {
    const conversation = parseConversation(transcript(30));
    const chunks = chunkConversation(conversation, { maxChars: 10, overlapChars: 5 });
    for (const chunk of chunks.slice(0, -1)) expect(chunk.text.length).toBeGreaterThan(400);
  });
});
