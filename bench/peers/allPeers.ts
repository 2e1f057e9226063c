// The peers `npm run bench` races the lab against, each on every backend it can train on.
import type { RacedPeer } from './peerSuite';
import { tfjsLayersPeer } from './tfjsLayersPeer';

export const PEERS: RacedPeer[] = [tfjsLayersPeer];
