// Whether the GPU behind WebGPU or WebGL is real hardware. Headless browsers and machines without
// a GPU driver get SwiftShader (or llvmpipe), a CPU emulation: seconds per training step.
import type { BackendName } from '../core/backend';

export interface AdapterDescription {
  software: boolean;
  name?: string;
  /** False when the browser hides what renders (WebGL without its debug extension). */
  known?: boolean;
}

const SOFTWARE = /swiftshader|llvmpipe|softpipe|software|basic render/i;

interface GpuAdapterLike {
  isFallbackAdapter?: boolean;
  info?: { vendor?: string; architecture?: string; description?: string; isFallbackAdapter?: boolean };
}

async function describeWebGpu(): Promise<AdapterDescription> {
  const gpu = (navigator as unknown as { gpu?: { requestAdapter(): Promise<GpuAdapterLike | null> } }).gpu;
  const adapter = await gpu?.requestAdapter();
  if (!adapter) return { software: false };
  const info = adapter.info ?? {};
  const name = [info.vendor, info.architecture, info.description].filter(Boolean).join(' ') || undefined;
  return {
    software: Boolean(adapter.isFallbackAdapter || info.isFallbackAdapter || (name && SOFTWARE.test(name))),
    name,
  };
}

function describeWebGl(): AdapterDescription {
  const gl = new OffscreenCanvas(1, 1).getContext('webgl2') ?? new OffscreenCanvas(1, 1).getContext('webgl');
  if (!gl) return { software: false, known: false };
  const ext = gl.getExtension('WEBGL_debug_renderer_info');
  const name = String(gl.getParameter(ext ? ext.UNMASKED_RENDERER_WEBGL : gl.RENDERER));
  gl.getExtension('WEBGL_lose_context')?.loseContext();
  return { software: SOFTWARE.test(name), name, known: Boolean(ext) || SOFTWARE.test(name) };
}

/** The adapter behind a GPU backend; CPU backends are never "software" in this sense. */
export async function describeAdapter(backend: BackendName): Promise<AdapterDescription> {
  try {
    if (backend === 'webgpu') return await describeWebGpu();
    if (backend === 'webgl') return describeWebGl();
  } catch {
    // An adapter that cannot be described is timed like any other.
  }
  return { software: false };
}
