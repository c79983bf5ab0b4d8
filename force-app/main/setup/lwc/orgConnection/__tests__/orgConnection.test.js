import OrgConnection from 'c/orgConnection';
import getConnection from '@salesforce/apex/OrgConnectionController.getConnection';
import startConnection from '@salesforce/apex/OrgConnectionController.startConnection';
import { flush, itShowsPanelStates, mount, navigations } from 'lwc-test-helpers';

jest.mock('lightning/navigation', () => require('lwc-test-helpers').navigationModule());

const connected = require('./data/getConnection.json');

describe('c-org-connection', () => {
  const text = (node) => node.textContent.replace(/\s+/g, ' ').trim();
  const button = (element) => element.shadowRoot.querySelector('lightning-button.connect');
  const facts = (element) =>
    Object.fromEntries(
      [...element.shadowRoot.querySelectorAll('dd.fact')].map((dd) => [dd.dataset.label, text(dd)]),
    );

  afterEach(() => navigations.mockReset());

  itShowsPanelStates(OrgConnection, {
    wire: getConnection,
    loading: "Reading this org's connection to the Pipeline Scribe service",
    error: "Could not read this org's connection to the Pipeline Scribe service",
  });

  it('shows a connected org, who connected it and when, with Reconnect', async () => {
    const { element } = await mount(OrgConnection, { wire: getConnection, data: connected });
    expect(text(element.shadowRoot.querySelector('.meaning'))).toBe('Connected.');
    expect(facts(element)).toMatchObject({
      Instance: 'https://acme.my.salesforce.com',
      'Connected by': 'admin@acme.com',
    });
    expect(button(element).label).toBe('Reconnect');
    await expect(element).toBeAccessible();
  });

  it('offers Connect to an org that never connected, and opens Salesforce to approve', async () => {
    const url = 'https://acme.my.salesforce.com/services/oauth2/authorize?response_type=code&state=s';
    startConnection.mockResolvedValue(url);
    const { element } = await mount(OrgConnection, {
      wire: getConnection,
      data: { state: 'never_connected' },
    });
    expect(button(element).label).toBe('Connect');
    button(element).click();
    await flush();
    expect(startConnection).toHaveBeenCalledTimes(1);
    expect(navigations).toHaveBeenCalledWith({ type: 'standard__webPage', attributes: { url } });
  });

  it('says a revoked connection stops the service, and why', async () => {
    const { element } = await mount(OrgConnection, {
      wire: getConnection,
      data: { state: 'revoked', lastError: 'invalid_grant: expired access/refresh token' },
    });
    expect(text(element.shadowRoot.querySelector('.meaning'))).toContain('revoked in Salesforce');
    expect(facts(element)['Last error']).toBe('invalid_grant: expired access/refresh token');
    expect(button(element).label).toBe('Reconnect');
  });

  it('offers no button when the service serves one org', async () => {
    const { element } = await mount(OrgConnection, { wire: getConnection, data: { state: 'single_org' } });
    expect(text(element.shadowRoot.querySelector('.meaning'))).toContain('serves one org');
    expect(button(element)).toBeNull();
  });

  it('says why, in a sticky toast, when the start is refused', async () => {
    startConnection.mockRejectedValue({ body: { message: 'The Pipeline Scribe service answered HTTP 401' } });
    const { element, toasts } = await mount(OrgConnection, {
      wire: getConnection,
      data: { state: 'never_connected' },
    });
    button(element).click();
    await flush();
    expect(navigations).not.toHaveBeenCalled();
    expect(toasts[0]).toMatchObject({
      title: 'The connection was not started',
      message: 'The Pipeline Scribe service answered HTTP 401',
      variant: 'error',
    });
  });
});
