import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { datasetsMiddleware } from './servedDatasets';

describe('the /datasets/ middleware', () => {
  const base = fs.mkdtempSync(path.join(os.tmpdir(), 'served-'));
  const dir = path.join(base, 'datasets');
  let server: http.Server;
  let url: string;

  beforeAll(async () => {
    fs.mkdirSync(path.join(dir, 'cifar10'), { recursive: true });
    fs.writeFileSync(path.join(dir, 'manifest.json'), '{}');
    fs.writeFileSync(path.join(dir, 'cifar10', 'a.bin.gz'), 'abc');
    fs.writeFileSync(path.join(base, 'secret.txt'), 'secret');
    fs.symlinkSync(path.join(base, 'secret.txt'), path.join(dir, 'cifar10', 'link.gz'));
    fs.symlinkSync(base, path.join(dir, 'up'));
    const middleware = datasetsMiddleware(dir);
    server = http.createServer((req, res) => middleware(req, res, () => ((res.statusCode = 418), res.end())));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  const get = async (p: string) => {
    const res = await fetch(url + p);
    return { status: res.status, body: await res.text() };
  };

  it('serves the files under datasets/ and passes other paths on', async () => {
    expect(await get('/datasets/cifar10/a.bin.gz')).toEqual({ status: 200, body: 'abc' });
    expect(await get('/datasets/manifest.json')).toEqual({ status: 200, body: '{}' });
    expect((await get('/index.html')).status).toBe(418);
  });

  it('follows no symlink out of datasets/, and answers a malformed escape with 400 and no path', async () => {
    expect(await get('/datasets/cifar10/link.gz')).toEqual({ status: 404, body: 'not found' });
    expect(await get('/datasets/up/secret.txt')).toEqual({ status: 404, body: 'not found' });
    expect(await get('/datasets/..%2Fsecret.txt')).toEqual({ status: 404, body: 'not found' });
    const bad = await get('/datasets/%E0%A4%A');
    expect(bad.status).toBe(400);
    expect(bad.body).not.toContain(base);
  });
});
