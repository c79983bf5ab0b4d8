import fp from 'fastify-plugin';
import {
  PipelineScanner,
  type PipelineRescorer,
  type ScanSchedule,
} from '../../services/pipeline-scan-schedule.js';
import { scanForecast } from '../../services/pipeline-scan-forecast.js';

/**
 * The pipeline scan in the running service: the scheduled full scan, and `pipelineScan` for the
 * ingestion side to re-score deals (on Opportunity_Changed__e, after a conversation is processed).
 * The schedule stops, and the scan under way finishes, when the service closes.
 */

declare module 'fastify' {
  interface FastifyInstance {
    pipelineScan: PipelineRescorer & { runFullScan: PipelineScanner['runFullScan'] };
  }
}

export default fp<{ schedule: ScanSchedule }>(
  async (app, options) => {
    const connection = app.salesforce;
    const scanner = new PipelineScanner(
      {
        api: connection.api,
        snapshot: () => connection.snapshots.get(),
        logger: app.log.child({ job: 'pipeline-scan' }),
        forecast: scanForecast,
      },
      options.schedule,
    );
    app.decorate('pipelineScan', scanner);
    app.addHook('onReady', async () => scanner.start());
    app.addHook('onClose', async () => scanner.stop());
  },
  { name: 'pipeline-scan', fastify: '5.x', dependencies: ['salesforce'] },
);
