import { LightningElement, wire } from 'lwc';
import { NavigationMixin } from 'lightning/navigation';
import getConnection from '@salesforce/apex/OrgConnectionController.getConnection';
import startConnection from '@salesforce/apex/OrgConnectionController.startConnection';
import { errorToast, LoadingPanel } from 'c/ldsUtils';

const MESSAGES = {
  loading: "Reading this org's connection to the Pipeline Scribe service",
  error: "Could not read this org's connection to the Pipeline Scribe service",
};

/** What each state means to the admin, and whether the button reads Connect or Reconnect. */
const STATES = {
  never_connected: {
    icon: 'utility:link',
    variant: '',
    text: 'This org is not connected to the Pipeline Scribe service yet. Connect it to let the service read and update this org.',
    action: 'Connect',
  },
  connected: { icon: 'utility:success', variant: 'success', text: 'Connected.', action: 'Reconnect' },
  refresh_failed: {
    icon: 'utility:warning',
    variant: 'warning',
    text: 'Connected, but the service could not renew its session with this org lately; it keeps trying.',
    action: 'Reconnect',
  },
  revoked: {
    icon: 'utility:error',
    variant: 'error',
    text: "This org's connection was revoked in Salesforce: the service cannot work here until an admin reconnects it.",
    action: 'Reconnect',
  },
  disconnected: {
    icon: 'utility:error',
    variant: 'error',
    text: 'This org was disconnected. Its data in the service is erased after the date below unless it is reconnected first.',
    action: 'Reconnect',
  },
  erased: {
    icon: 'utility:error',
    variant: 'error',
    text: 'This org was disconnected and its data in the service erased. Connect it to start again.',
    action: 'Connect',
  },
  single_org: {
    icon: 'utility:info',
    variant: '',
    text: 'The service serves one org, named in its own settings: there is nothing to connect here.',
    action: null,
  },
};

/**
 * For the admin: where this org's connection to a multi-org Pipeline Scribe service stands (who
 * connected it and when, the last renewal, any error), and Connect / Reconnect, which opens
 * Salesforce's own approval page; the service completes the connection when Salesforce sends the
 * admin back to it. The org keeps no secret: the service holds the tokens.
 */
export default class OrgConnection extends LoadingPanel(NavigationMixin(LightningElement), {
  field: 'connection',
  messages: MESSAGES,
}) {
  connection;
  isStarting = false;

  @wire(getConnection)
  wiredConnection(result) {
    this.takeWired(result);
  }

  get meaning() {
    return STATES[this.connection.state] ?? STATES.revoked;
  }

  get facts() {
    const c = this.connection;
    return [
      ['Instance', c.instanceUrl],
      ['Connected by', c.connectedBy],
      ['Connected', c.connectedAt],
      ['Session renewed', c.refreshedAt],
      ['Data erased after', c.eraseAfter],
      ['Last error', c.lastError],
    ]
      .filter(([, value]) => value)
      .map(([label, value]) => ({ label, value, key: label }));
  }

  get hasFacts() {
    return this.facts.length > 0;
  }

  get actionLabel() {
    return this.meaning.action;
  }

  async handleConnect() {
    this.isStarting = true;
    try {
      const url = await startConnection();
      this[NavigationMixin.Navigate]({ type: 'standard__webPage', attributes: { url } });
    } catch (error) {
      this.dispatchEvent(errorToast('The connection was not started', error));
    } finally {
      this.isStarting = false;
    }
  }
}
