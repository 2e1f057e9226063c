// The page's PyTorch export: the experiment's project (src/core/export/pytorchProject.ts) as a zip
// made in the browser with fflate. The Python sources are bundled as text from pytorch/.
import { strToU8, zipSync } from 'fflate';
import { pytorchProjectFiles, type PytorchSources } from '../../core/export/pytorchProject';
import type { ExperimentSpec } from '../../core/spec';
import dataPy from '../../../pytorch/data.py?raw';
import methodsPy from '../../../pytorch/methods.py?raw';
import modelsPy from '../../../pytorch/models.py?raw';
import readme from '../../../pytorch/README.md?raw';
import safetensorsPy from '../../../pytorch/safetensors_io.py?raw';
import trainPy from '../../../pytorch/train.py?raw';

const SOURCES: PytorchSources = {
  'train.py': trainPy,
  'models.py': modelsPy,
  'methods.py': methodsPy,
  'data.py': dataPy,
  'safetensors_io.py': safetensorsPy,
  'README.md': readme,
};

/** The zip of the project, every file under `folder`/. */
export function pytorchProjectZip(spec: ExperimentSpec, folder: string): Uint8Array<ArrayBuffer> {
  const files = Object.fromEntries(
    pytorchProjectFiles(spec, SOURCES).map((f) => [`${folder}/${f.path}`, strToU8(f.text)]),
  );
  return new Uint8Array(zipSync(files, { level: 6 }));
}
