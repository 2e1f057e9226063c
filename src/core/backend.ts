// Backend names. Choosing and initialising a backend is the job of the edge that runs the core
// (the worker in the page, scripts/ in Node), since wasm paths and GPU access differ there.
export type BackendName = 'webgpu' | 'webgl' | 'wasm' | 'cpu';
