// What a remembered backend choice depends on besides the model: the browser, its GPU adapter, the
// cores, and cross-origin isolation (which decides whether wasm runs threaded).
interface AdapterInfoLike {
  vendor?: string;
  architecture?: string;
  description?: string;
}

export async function browserEnvironmentKey(): Promise<string> {
  let adapter = 'no-webgpu';
  try {
    const gpu = (navigator as unknown as { gpu?: { requestAdapter(): Promise<{ info?: AdapterInfoLike } | null> } })
      .gpu;
    const a = await gpu?.requestAdapter();
    if (a) adapter = [a.info?.vendor, a.info?.architecture, a.info?.description].filter(Boolean).join(' ') || 'webgpu';
  } catch {
    adapter = 'webgpu-error';
  }
  return [
    navigator.userAgent,
    navigator.hardwareConcurrency,
    crossOriginIsolated ? 'isolated' : 'not-isolated',
    adapter,
  ].join('|');
}
