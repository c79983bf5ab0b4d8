import type { FastifyInstance } from 'fastify';

const FIRST_SWEEP_MS = 60_000;
const SWEEP_EVERY_MS = 3_600_000;

/**
 * A sweep a process runs in the background: a minute after it is ready, then hourly. Sweeps never
 * overlap (the next is scheduled once one ends), the timer keeps no process alive, and closing waits
 * for the sweep under way. `sweep` reports its own failures; a throw is never left unhandled.
 */
export function runHourly(app: FastifyInstance, sweep: () => Promise<void>): void {
  let timer: NodeJS.Timeout | null = null;
  let running: Promise<void> | null = null;
  const schedule = (ms: number) => {
    timer = setTimeout(() => {
      running = sweep().finally(() => {
        running = null;
        if (timer) schedule(SWEEP_EVERY_MS);
      });
    }, ms);
    timer.unref();
  };
  app.addHook('onReady', async () => schedule(FIRST_SWEEP_MS));
  app.addHook('onClose', async () => {
    if (timer) clearTimeout(timer);
    timer = null;
    await running;
  });
}
