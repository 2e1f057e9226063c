// The peers `npm run bench` races the lab against, each on every backend it can train on.
import { jaxPeer } from './jaxPeer';
import type { RacedPeer } from './peerSuite';
import { tfjsLayersPeer } from './tfjsLayersPeer';

export const PEERS: RacedPeer[] = [tfjsLayersPeer, jaxPeer];
