// The flags that give headless Chromium's WebGPU a real adapter on Linux (Chrome's "Supercharge Web
// AI model testing" recipe, gpuweb/gpuweb#5022). On a machine without a GPU the adapter is still
// SwiftShader, which gpuBench refuses unless told otherwise.
import { CHROMIUM_FLAGS } from '../../e2e/chromiumFlags';

export const GPU_CHROMIUM_FLAGS = [
  // The suite's flags (WebGPU enabled, nothing calling home), less SwiftShader-on-purpose.
  ...CHROMIUM_FLAGS.filter((f) => f !== '--enable-unsafe-swiftshader'),
  // Dawn's Vulkan backend, and ANGLE (WebGL) on Vulkan too: on Linux WebGPU needs Vulkan.
  '--enable-features=Vulkan,VulkanFromANGLE,DefaultANGLEVulkan',
  '--use-angle=vulkan',
  // Headless has no window system: no Vulkan surface or swapchain to create.
  '--disable-vulkan-surface',
  // Server and datacenter GPUs (and their drivers) are often on Chromium's blocklist.
  '--ignore-gpu-blocklist',
  '--enable-gpu-rasterization',
];
