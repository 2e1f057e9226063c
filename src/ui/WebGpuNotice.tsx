// A one-time, plain notice when this browser has no WebGPU: training still works, only slower.
import { useState } from 'react';

const DISMISSED_KEY = 'duality-lab:webgpu-notice-dismissed';

export function WebGpuNotice() {
  const [show, setShow] = useState(() => !('gpu' in navigator) && localStorage.getItem(DISMISSED_KEY) === null);
  if (!show) return null;
  return (
    <div className="notice" role="status">
      This browser has no WebGPU, so the runs train on WebGL or WebAssembly, which is several times slower. Chrome or
      Edge (and Firefox or Safari with WebGPU turned on) train fastest.{' '}
      <button
        type="button"
        className="small"
        onClick={() => {
          localStorage.setItem(DISMISSED_KEY, '1');
          setShow(false);
        }}
      >
        OK
      </button>
    </div>
  );
}
