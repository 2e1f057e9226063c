import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { readSafetensorsHeader, readSafetensorsTensor } from '../core/export/safetensors';
import { blobSplit, tinySpec } from '../core/train/testFixtures';
import { useHandlerChannels } from './handlerChannel.testing';
import { PROTOCOL_VERSION, type WeightsReplyMessage } from './protocol';

const spec = { ...tinySpec({ name: 'cnn', width: 4, depth: 1 }, [{ id: 'sgd', method: 'sgd' }], { epochs: 1 }) };
spec.landscape = { ...spec.landscape, when: 'never' };
const openHandlerChannel = useHandlerChannels();

function worker(loadDelayMs = 0) {
  const h = openHandlerChannel({
    initBackend: async () => 'cpu',
    loadData: async () => (await new Promise((r) => setTimeout(r, loadDelayMs)), blobSplit('image')),
  });
  return { send: h.send, until: h.waitFor };
}

describe('weights export from the run worker', () => {
  it('answers after the run ended with a safetensors file in PyTorch layout, equal to the trained weights', async () => {
    const w = worker();
    w.send({ type: 'start', protocolVersion: PROTOCOL_VERSION, runId: 'sgd', spec });
    await w.until((m) => m.type === 'done');
    w.send({ type: 'weights', runId: 'sgd', requestId: 'w1' });
    const reply = (await w.until((m) => m.type === 'weights-reply')) as WeightsReplyMessage;
    expect(reply.message).toBeUndefined();
    const bytes = new Uint8Array(reply.bytes!);
    const header = readSafetensorsHeader(bytes);
    expect(header.tensors['conv1.weight'].shape).toEqual([4, 3, 3, 3]); // [cOut, cIn, kh, kw]
    expect(header.tensors['fc2.weight'].shape).toEqual([3, 16]); // [out, in]
    expect(header.tensors['conv1.bias'].shape).toEqual([4]);
    expect(header.metadata.run).toBe('sgd');
    expect(header.metadata.step).toBe(String(6));
    expect(readSafetensorsTensor(bytes, header, 'fc2.bias').every(Number.isFinite)).toBe(true);
    // Asked again, the ended run answers the same bytes and leaks no tensor.
    const tensorsBefore = tf.memory().numTensors;
    w.send({ type: 'weights', runId: 'sgd', requestId: 'w2' });
    const again = (await w.until((m) => m.type === 'weights-reply' && m.requestId === 'w2')) as WeightsReplyMessage;
    expect(new Uint8Array(again.bytes!)).toEqual(bytes);
    expect(tf.memory().numTensors).toBe(tensorsBefore);
    w.send({ type: 'dispose', runId: 'sgd' });
  });

  it('says why when there is no model', async () => {
    const w = worker(100);
    w.send({ type: 'start', protocolVersion: PROTOCOL_VERSION, runId: 'sgd', spec });
    w.send({ type: 'weights', runId: 'sgd', requestId: 'w0' }); // still loading its data
    const reply = (await w.until((m) => m.type === 'weights-reply')) as WeightsReplyMessage;
    expect(reply.bytes).toBeUndefined();
    expect(reply.message).toMatch(/no model yet/);
    await w.until((m) => m.type === 'done');
    w.send({ type: 'dispose', runId: 'sgd' });
  });
});
