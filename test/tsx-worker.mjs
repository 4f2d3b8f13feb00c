// Worker bootstrap: worker threads do not inherit the parent's `--import tsx` hooks (Node 20),
// so this registers tsx in the worker and then loads the TypeScript module named in workerData.
import { workerData } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

register();
await import(workerData.module);
