import { SalesforceApiError, type SalesforceApi } from '../../adapters/salesforce/salesforce-client.js';
import { WrappedApi } from '../../adapters/salesforce/wrapped-api.js';

/**
 * A Salesforce call that takes too long fails as SALESFORCE_TIMEOUT instead of holding the worker:
 * writes are upserts by external id, so whether or not the late call landed, the retry converges.
 */
export class TimedApi extends WrappedApi {
  constructor(
    inner: SalesforceApi,
    private readonly timeoutMs: number,
  ) {
    super(inner);
  }

  protected async around<T>(start: () => Promise<T>): Promise<T> {
    const call = start();
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () =>
          reject(
            new SalesforceApiError(
              'SALESFORCE_TIMEOUT',
              `Salesforce did not answer within ${this.timeoutMs} ms (SCRIBE_SALESFORCE_TIMEOUT_MS)`,
            ),
          ),
        this.timeoutMs,
      );
    });
    try {
      return await Promise.race([call, timeout]);
    } finally {
      clearTimeout(timer);
      // The abandoned call may still fail later; that is not this conversation's concern anymore.
      call.catch(() => undefined);
    }
  }
}
