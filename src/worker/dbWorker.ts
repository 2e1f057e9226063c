// The module worker that keeps the history database (created by the page at start-up): the page's
// saves are cloned into IndexedDB here, off its main thread.
import { attachDbHandler } from './dbHandler';

attachDbHandler(self, indexedDB);
