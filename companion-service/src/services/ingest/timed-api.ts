import type { ApiUsage } from '../../adapters/salesforce/api-usage.js';
import {
  SalesforceApiError,
  type CompositeSubrequest,
  type CompositeSubresponse,
  type SalesforceApi,
} from '../../adapters/salesforce/salesforce-client.js';

/**
 * A Salesforce call that takes too long fails as SALESFORCE_TIMEOUT instead of holding the worker:
 * writes are upserts by external id, so whether or not the late call landed, the retry converges.
 */
export class TimedApi implements SalesforceApi {
  constructor(
    private readonly inner: SalesforceApi,
    private readonly timeoutMs: number,
  ) {}

  get apiVersion(): string {
    return this.inner.apiVersion;
  }

  get instanceUrl(): string {
    return this.inner.instanceUrl;
  }

  usage(): ApiUsage {
    return this.inner.usage();
  }

  composite(subrequests: CompositeSubrequest[], allOrNone: boolean): Promise<CompositeSubresponse[]> {
    return this.within(this.inner.composite(subrequests, allOrNone));
  }

  get<T>(path: string): Promise<T> {
    return this.within(this.inner.get<T>(path));
  }

  private async within<T>(call: Promise<T>): Promise<T> {
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
