import fp from 'fastify-plugin';
import type { SalesforceConfig } from '../../config/salesforce-config.js';
import type { OrgConnection } from '../../services/org-connection.js';
import { connectConfiguredOrg, type LocalOrgSettings } from '../embedded-org.js';

/**
 * The Salesforce connection as a decorator: the org the SF_* settings name, or the local org started
 * for the service. Rules are read before the app starts listening, so a wrong setting fails the boot
 * with its name rather than the first conversation.
 */

declare module 'fastify' {
  interface FastifyInstance {
    salesforce: OrgConnection;
  }
}

export interface SalesforcePluginOptions {
  salesforce: SalesforceConfig;
  localOrg?: LocalOrgSettings;
  /** An already open connection (the main job and tests that start their own). */
  connection?: OrgConnection;
}

export default fp<SalesforcePluginOptions>(
  async (app, options) => {
    const connection =
      options.connection ?? (await connectConfiguredOrg(options.salesforce, app.log, options.localOrg));
    app.decorate('salesforce', connection);
    if (!options.connection) app.addHook('onClose', async () => connection.close());
  },
  { name: 'salesforce', fastify: '5.x' },
);
