import { describe, expect, it } from 'vitest';
import { isSoftwareWebGpuAdapter, webGpuAdapterName } from './gpuAdapters';

describe('isSoftwareWebGpuAdapter', () => {
  it('calls SwiftShader, as headless Chromium reports it without a GPU, software', () => {
    const swiftShader = {
      vendor: 'google',
      architecture: 'swiftshader',
      device: '',
      description: '',
      isFallbackAdapter: true,
    };
    expect(isSoftwareWebGpuAdapter(swiftShader)).toBe(true);
    // Older Chromiums: no isFallbackAdapter in the info, the names alone.
    expect(isSoftwareWebGpuAdapter({ vendor: 'google', architecture: 'swiftshader' })).toBe(true);
    expect(webGpuAdapterName(swiftShader)).toBe('google swiftshader');
  });

  it('calls Mesa llvmpipe and any fallback adapter software', () => {
    expect(isSoftwareWebGpuAdapter({ vendor: 'mesa', description: 'llvmpipe (LLVM 15.0.6, 256 bits)' })).toBe(true);
    expect(isSoftwareWebGpuAdapter({ vendor: 'acme', architecture: 'x', isFallbackAdapter: true })).toBe(true);
  });

  it('calls NVIDIA, AMD and Intel adapters hardware', () => {
    const h200 = {
      vendor: 'nvidia',
      architecture: 'hopper',
      device: '',
      description: 'NVIDIA H200',
      isFallbackAdapter: false,
    };
    expect(isSoftwareWebGpuAdapter(h200)).toBe(false);
    expect(webGpuAdapterName(h200)).toBe('nvidia hopper NVIDIA H200');
    expect(
      isSoftwareWebGpuAdapter({ vendor: 'amd', architecture: 'rdna-3', description: 'AMD Radeon RX 7900 XTX' }),
    ).toBe(false);
    expect(isSoftwareWebGpuAdapter({ vendor: 'intel', architecture: 'gen-12lp' })).toBe(false);
  });

  it('calls an adapter that says nothing hardware, and has no name for it', () => {
    expect(isSoftwareWebGpuAdapter({})).toBe(false);
    expect(webGpuAdapterName({ vendor: '', architecture: '' })).toBeUndefined();
  });
});
