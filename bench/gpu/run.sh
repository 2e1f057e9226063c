#!/usr/bin/env bash
# The GPU benchmark on a borrowed GPU machine: shows what Chromium's WebGPU and PyTorch CUDA will
# find, runs `npm run bench -- --gpu` (at most 5 minutes; it prints its markdown at the end) and
# names the result files. Installs nothing.
# Usage, from the repository root after `npm ci`: bash bench/gpu/run.sh
# DUALITY_PYTHON=/path/to/python picks a Python whose torch has CUDA (Debian's python3-torch has none).
set -u
cd "$(dirname "$0")/../.."

echo "== GPU (nvidia-smi)"
nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv,noheader || echo "nvidia-smi: not found (not an NVIDIA machine, or no driver)"
echo "== Vulkan (WebGPU on Linux runs on it)"
if command -v vulkaninfo >/dev/null; then
  vulkaninfo --summary 2>/dev/null | grep -E 'deviceName|driverName|deviceType' || echo "vulkaninfo: no Vulkan device"
else
  ls /usr/share/vulkan/icd.d/ /etc/vulkan/icd.d/ 2>/dev/null || echo "no Vulkan ICD files: Chromium will find only SwiftShader"
fi
echo "== PyTorch CUDA"
"${DUALITY_PYTHON:-/usr/bin/python3}" -c 'import torch; print(torch.__version__, "CUDA", torch.version.cuda, "available:", torch.cuda.is_available())' ||
  echo "no torch for ${DUALITY_PYTHON:-/usr/bin/python3}: the bench will say PyTorch CUDA is not available"

echo "== npm run bench -- --gpu"
npm run bench -- --gpu
status=$?
[ "$status" -eq 0 ] && echo "== results: $(ls -t bench/results/*-gpu.md | head -1) and its .json"
exit "$status"
