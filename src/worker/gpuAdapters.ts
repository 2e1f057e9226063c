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

/** What GPUAdapter.info says of a WebGPU adapter. */
export interface WebGpuAdapterInfo {
  vendor?: string;
  architecture?: string;
  device?: string;
  description?: string;
  isFallbackAdapter?: boolean;
}

/** The adapter's names in one line, e.g. "google swiftshader" or "nvidia hopper NVIDIA H200". */
export const webGpuAdapterName = (info: WebGpuAdapterInfo): string | undefined =>
  [info.vendor, info.architecture, info.description].filter(Boolean).join(' ') || undefined;

/** The browser's fallback adapter, or one its names show to be a CPU emulation (SwiftShader: vendor google, architecture swiftshader). */
export function isSoftwareWebGpuAdapter(info: WebGpuAdapterInfo): boolean {
  const name = webGpuAdapterName(info);
  return Boolean(info.isFallbackAdapter || (name && SOFTWARE.test(name)));
}

interface GpuAdapterLike {
  /** Before GPUAdapterInfo had it. */
  isFallbackAdapter?: boolean;
  info?: WebGpuAdapterInfo;
}

async function describeWebGpu(): Promise<AdapterDescription> {
  const gpu = (navigator as unknown as { gpu?: { requestAdapter(): Promise<GpuAdapterLike | null> } }).gpu;
  const adapter = await gpu?.requestAdapter();
  if (!adapter) return { software: false };
  const info = adapter.info ?? {};
  return {
    software: Boolean(adapter.isFallbackAdapter) || isSoftwareWebGpuAdapter(info),
    name: webGpuAdapterName(info),
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
