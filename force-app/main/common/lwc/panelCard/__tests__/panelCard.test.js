import PanelCard from 'c/panelCard';
import { mount } from 'lwc-test-helpers';

const MESSAGES = { loading: 'Loading your deals', error: 'Could not load your deals', empty: 'No deals.' };

describe('c-panel-card', () => {
  const render = (state) =>
    mount(PanelCard, {
      props: {
        title: 'Pipeline hygiene',
        iconName: 'utility:lower_flag',
        state: { messages: MESSAGES, ...state },
      },
    });

  it('titles the card and hands c-panel-state the panel’s state', async () => {
    const state = { isLoading: true, errors: undefined, isEmpty: false };
    const { element } = await render(state);

    const card = element.shadowRoot.querySelector('lightning-card');
    expect([card.title, card.iconName]).toEqual(['Pipeline hygiene', 'utility:lower_flag']);
    expect(element.shadowRoot.querySelector('c-panel-state').state).toEqual({ ...state, messages: MESSAGES });
    await expect(element).toBeAccessible();
  });

  it.each([
    ['while it loads', false, { isLoading: true }],
    ['when loading failed', false, { errors: { body: { message: 'no access' } } }],
    ['when it is empty', false, { isEmpty: true }],
    ['once it is ready', true, {}],
  ])('%s, shows the panel’s own content: %p', async (_, shown, state) => {
    const { element } = await render(state);

    expect(element.shadowRoot.querySelector('slot') !== null).toBe(shown);
  });
});
