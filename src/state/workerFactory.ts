// The browser's workers: module workers that Vite bundles from these static URLs, each seen by the
// page as a WorkerClient (workerClient.ts) typed by its protocol.
import type { ClassroomReply, ClassroomRequest } from '../worker/classroomProtocol';
import type { DbReply, DbRequest } from '../worker/dbProtocol';
import type { ImportReply, ImportRequest } from '../worker/importProtocol';
import type { FromProbe, ProbeRequest } from '../worker/probeProtocol';
import type { FromWorker, ToWorker } from '../worker/protocol';
import type { WorkerClient } from './workerClient';

export function createRunWorker(): WorkerClient<ToWorker, FromWorker> {
  return new Worker(new URL('../worker/runWorker.ts', import.meta.url), { type: 'module' }) as unknown as WorkerClient<
    ToWorker,
    FromWorker
  >;
}

export function createProbeWorker(): WorkerClient<ProbeRequest, FromProbe> {
  return new Worker(new URL('../worker/probeWorker.ts', import.meta.url), {
    type: 'module',
  }) as unknown as WorkerClient<ProbeRequest, FromProbe>;
}

export function createImportWorker(): WorkerClient<ImportRequest, ImportReply> {
  return new Worker(new URL('../worker/importWorker.ts', import.meta.url), {
    type: 'module',
  }) as unknown as WorkerClient<ImportRequest, ImportReply>;
}

export function createClassroomWorker(): WorkerClient<ClassroomRequest, ClassroomReply> {
  return new Worker(new URL('../worker/classroomWorker.ts', import.meta.url), {
    type: 'module',
  }) as unknown as WorkerClient<ClassroomRequest, ClassroomReply>;
}

export function createDbWorker(): WorkerClient<DbRequest, DbReply> {
  return new Worker(new URL('../worker/dbWorker.ts', import.meta.url), {
    type: 'module',
  }) as unknown as WorkerClient<DbRequest, DbReply>;
}
