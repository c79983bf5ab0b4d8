import type { ApiUsage } from './api-usage.js';
import type {
  BulkRequest,
  BulkResponse,
  CompositeSubrequest,
  CompositeSubresponse,
  SalesforceApi,
} from './salesforce-client.js';

/**
 * A view of a SalesforceApi that passes every call through `around`: the one place a view (counting,
 * a deadline) adds its behaviour, so each view says only what it adds.
 */
export abstract class WrappedApi implements SalesforceApi {
  constructor(protected readonly inner: SalesforceApi) {}

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
    return this.around(() => this.inner.composite(subrequests, allOrNone));
  }

  get<T>(path: string): Promise<T> {
    return this.around(() => this.inner.get<T>(path));
  }

  bulk(request: BulkRequest): Promise<BulkResponse> {
    return this.around(() => this.inner.bulk(request));
  }

  protected abstract around<T>(call: () => Promise<T>): Promise<T>;
}

/** A view of the client that counts the calls made through it: the API calls of one conversation. */
export class CountedApi extends WrappedApi {
  calls = 0;

  protected around<T>(call: () => Promise<T>): Promise<T> {
    this.calls++;
    return call();
  }
}
