// The suite's two preview servers and their addresses. The ports are chosen in the runner's
// process (the config) and read from the environment in its workers, which inherit it.
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** `preview`: the built page with the fixture datasets; `real`: the built page with the repo's datasets/. */
export const SERVERS = ['preview', 'real'] as const;
export type ServerName = (typeof SERVERS)[number];

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const envKey = (name: ServerName) => `DUALITY_E2E_${name.toUpperCase()}_PORT`;

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as net.AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

export const servers = {
  async choosePorts(): Promise<void> {
    for (const name of SERVERS) process.env[envKey(name)] ??= String(await freePort());
  },
  port(name: ServerName): number {
    const port = Number(process.env[envKey(name)]);
    if (!port) throw new Error(`${envKey(name)} is not set: run the suite with \`npm run e2e\``);
    return port;
  },
  url(name: ServerName): string {
    return `http://127.0.0.1:${servers.port(name)}/`;
  },
};

/**
 * The folder the real-data cases read and the `real` server serves: the repo's datasets/ as
 * `npm run datasets` prepared it, or $DUALITY_E2E_REAL_DATASETS (another prepared folder, e.g. one
 * prepared without ../shared, to run the suite as a machine without the real sets does).
 */
export const REAL_DATASETS = process.env.DUALITY_E2E_REAL_DATASETS || path.join(REPO, 'datasets');
