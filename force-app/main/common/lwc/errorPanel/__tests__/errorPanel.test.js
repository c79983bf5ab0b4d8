import { createElement } from 'lwc';
import ErrorPanel from 'c/errorPanel';

const apexError = require('./data/apexError.json');

describe('c-error-panel', () => {
  function render(props) {
    const element = createElement('c-error-panel', { is: ErrorPanel });
    Object.assign(element, props);
    document.body.appendChild(element);
    return element;
  }

  it('says what failed, then what Salesforce said', async () => {
    const element = render({ friendlyMessage: 'Could not load the suggestions', errors: apexError });

    const alert = element.shadowRoot.querySelector('[role="alert"]');
    expect(alert.querySelector('.friendly-message').textContent).toBe('Could not load the suggestions');
    const messages = [...alert.querySelectorAll('.messages li')].map((li) => li.textContent);
    expect(messages).toEqual([apexError.body.message]);
    await expect(element).toBeAccessible();
  });

  it('shows only the friendly message when there are no details', () => {
    const element = render({ friendlyMessage: 'Could not load your queue', errors: undefined });

    expect(element.shadowRoot.querySelector('.friendly-message').textContent).toBe(
      'Could not load your queue',
    );
    expect(element.shadowRoot.querySelector('.messages')).toBeNull();
  });
});
