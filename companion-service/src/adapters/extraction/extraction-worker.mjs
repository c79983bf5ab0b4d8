// A pool thread's entry: the service runs from its TypeScript sources, and a thread does not share
// the loader its parent was started with (vitest's, or `node --import tsx`), so it loads them
// through tsx itself.
import { tsImport } from 'tsx/esm/api';

const { runExtractionTask } = await tsImport('./extraction-task.ts', import.meta.url);

export default runExtractionTask;
