import ConversationNotes from 'c/conversationNotes';
import getRecentConversations from '@salesforce/apex/ConversationController.getRecentConversations';
import { registerRefreshHandler } from 'lightning/refresh';
import { itShowsPanelStates, mount } from 'lwc-test-helpers';

const conversations = require('./data/getRecentConversations.json');

const OPPORTUNITY_ID = '0065g00000FABRKAAA';

describe('c-conversation-notes', () => {
  const onDeal = { props: { recordId: OPPORTUNITY_ID }, wire: getRecentConversations };
  const render = async (data) => (await mount(ConversationNotes, { ...onDeal, data })).element;

  itShowsPanelStates(ConversationNotes, {
    ...onDeal,
    loading: 'Loading conversation notes',
    error: 'Could not load the conversation notes',
    empty: {
      data: [],
      says: 'No conversations on this deal yet. Paste notes or attach a recording in Quick capture, or connect Gong.',
    },
  });

  it('asks for the latest three conversations of the deal', async () => {
    await render();

    expect(getRecentConversations.getLastConfig()).toEqual({ opportunityId: OPPORTUNITY_ID, maxRecords: 3 });
  });

  it('shows the structured notes of each conversation, newest open', async () => {
    const element = await render(conversations);

    const sections = element.shadowRoot.querySelectorAll('lightning-accordion-section');
    expect([...sections].map((section) => section.label)).toEqual([
      'Discovery call with Fabrikam',
      'Voice Memo 2026-03-03 08:10',
      'Email from Priya',
    ]);
    expect(element.shadowRoot.querySelector('lightning-accordion').activeSectionName).toEqual([
      'a015g00000CONV01AAA',
    ]);
    const first = sections[0];
    expect(first.querySelector('.summary').textContent).toContain('$64,000 budget');
    const notes = Object.fromEntries(
      [...first.querySelectorAll('.notes-section')].map((section) => [
        section.querySelector('.section-label').textContent,
        [...section.querySelectorAll('li')].map((li) => li.textContent),
      ]),
    );
    expect(notes['Next steps']).toEqual([
      'Send the security questionnaire (Dana, by 2026-03-06)',
      'Book a demo with the VP of Sales (Dmitri, by 2026-03-10)',
    ]);
    expect(notes.Stakeholders).toHaveLength(2);
    expect(notes.Competitors).toEqual(['Gong: already used for call recording']);
    await expect(element).toBeAccessible();
  });

  it('says a queued conversation is being read and a failed one why', async () => {
    const element = await render(conversations);

    const sections = element.shadowRoot.querySelectorAll('lightning-accordion-section');
    expect(sections[1].querySelector('.waiting').textContent).toContain('is reading this conversation');
    expect(sections[2].querySelector('.failed').textContent).toContain('Forward the original message.');
  });

  it('refreshes when quick capture saves a conversation', async () => {
    await render();

    expect(registerRefreshHandler).toHaveBeenCalled();
  });
});
