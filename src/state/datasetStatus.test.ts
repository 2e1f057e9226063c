import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { MANIFEST_VERSION, parseManifest } from '../core/data/manifest';
import { folderFetch, preparedFolder } from '../worker/datasetFolder.testing';
import { datasetStatus } from './datasetStatus';

describe('dataset status', () => {
  const dir = preparedFolder();
  it('reports ready and missing datasets for the picker', async () => {
    const status = await datasetStatus({ base: '/datasets/', fetch: folderFetch(dir) });
    expect(status['fashion-mnist'].ready).toBe(true);
    expect(status.shapes.ready).toBe(true);
    expect(status.cifar10).toEqual({
      ready: false,
      reason: expect.stringMatching(/cifar10 is not prepared: run npm run datasets/),
    });
    const none = await datasetStatus({ base: '/datasets/', fetch: folderFetch(path.join(dir, 'nowhere')) });
    expect(none.mnist).toEqual({
      ready: false,
      reason: expect.stringMatching(/manifest.json is missing \(HTTP 404\)/),
    });
    expect(none.toy.ready).toBe(true);
  });

  it('a dataset kept in this browser and not served is ready, from the browser', async () => {
    const served = parseManifest(JSON.parse(await (await folderFetch(dir)('/datasets/manifest.json')).text()));
    const kept = parseManifest({
      version: MANIFEST_VERSION,
      datasets: { 'fashion-mnist': served.datasets['fashion-mnist'] },
    });
    const status = await datasetStatus({
      base: '/datasets/',
      fetch: folderFetch(path.join(dir, 'nowhere')),
      local: { manifest: async () => kept, read: async () => undefined },
    });
    expect(status['fashion-mnist']).toMatchObject({ ready: true, where: 'browser' });
    expect(status.cifar10).toMatchObject({ ready: false, reason: expect.stringContaining('npm run datasets') });
  });
});
