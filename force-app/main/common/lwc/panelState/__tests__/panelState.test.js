import { createElement } from 'lwc';
import PanelState from 'c/panelState';

const flush = () => Promise.resolve();

describe('c-panel-state', () => {
  async function render(props) {
    const element = createElement('c-panel-state', { is: PanelState });
    element.state = {
      isLoading: false,
      errors: undefined,
      isEmpty: false,
      messages: {
        loading: 'Loading the deal risk',
        error: 'Could not load the deal risk',
        empty: 'Not scored yet.',
      },
      ...props,
    };
    document.body.appendChild(element);
    await flush();
    const query = (selector) => element.shadowRoot.querySelector(selector);
    return { element, query };
  }

  it('spins while loading, saying what loads, and shows nothing else', async () => {
    const { element, query } = await render({ isLoading: true, isEmpty: true });

    expect(query('lightning-spinner').alternativeText).toBe('Loading the deal risk');
    expect(query('c-error-panel')).toBeNull();
    expect(query('.empty')).toBeNull();
    await expect(element).toBeAccessible();
  });

  it('shows what failed and the messages Salesforce gave, instead of the empty sentence', async () => {
    const { element, query } = await render({
      errors: { body: { message: 'Insufficient access' } },
      isEmpty: true,
    });

    const panel = query('c-error-panel');
    expect(panel.friendlyMessage).toBe('Could not load the deal risk');
    expect(panel.shadowRoot.querySelector('.messages').textContent).toContain('Insufficient access');
    expect(query('.empty')).toBeNull();
    await expect(element).toBeAccessible();
  });

  it('says what an empty panel means', async () => {
    const { query } = await render({ isEmpty: true });

    expect(query('.empty').textContent).toBe('Not scored yet.');
    expect(query('lightning-spinner')).toBeNull();
  });

  it('shows nothing once the content is ready, or when the panel draws its own empty view', async () => {
    const ready = await render({});
    expect(ready.element.shadowRoot.childNodes).toHaveLength(0);

    const ownEmpty = await render({
      isEmpty: true,
      messages: { loading: 'Loading', error: 'Could not load' },
    });
    expect(ownEmpty.query('.empty')).toBeNull();
  });
});
