/**
 * How much more memory the process held at its peak while `work` ran than just before: the resident
 * set sampled every few milliseconds (the event loop is free while a request streams, so the samples
 * keep coming). The garbage collector runs first when Node was started with --expose-gc, so the
 * baseline holds no garbage from earlier work.
 */
export async function peakRssGrowth<T>(
  work: () => Promise<T>,
): Promise<{ result: T; growthBytes: number; baselineBytes: number }> {
  (globalThis as { gc?: () => void }).gc?.();
  const baselineBytes = process.memoryUsage.rss();
  let peak = baselineBytes;
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage.rss())), 5);
  try {
    const result = await work();
    peak = Math.max(peak, process.memoryUsage.rss());
    return { result, growthBytes: peak - baselineBytes, baselineBytes };
  } finally {
    clearInterval(sampler);
  }
}

export const mb = (bytes: number) => Math.round(bytes / 1024 / 1024);
