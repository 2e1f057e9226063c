// The flags every Chromium of the suite starts with: WebGPU on SwiftShader (there is no GPU here),
// and nothing that calls home (the suite checks that the page contacts no other origin).
export const CHROMIUM_FLAGS = [
  '--enable-unsafe-webgpu',
  '--enable-unsafe-swiftshader',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
  '--no-sandbox',
];
