// "Export as PyTorch project": the experiment in the form, as a zip of a small PyTorch project that
// trains under torchrun (pytorch/README.md). Works for any valid spec, trained here or not.
import { useState } from 'react';
import { selectIssues, selectPresetId, selectSpec } from '../../state/selectors';
import { useLab } from '../labContext';
import { downloadBlob } from './download';
import { pytorchProjectZip } from './pytorchProjectZip';

export function PytorchExportButton() {
  const spec = useLab(selectSpec);
  const issues = useLab(selectIssues);
  const presetId = useLab(selectPresetId);
  const [message, setMessage] = useState<string>();
  const save = () => {
    setMessage(undefined);
    try {
      // Preset ids are already file-name safe.
      const folder = `duality-lab-${presetId ?? 'experiment'}-pytorch`;
      downloadBlob(`${folder}.zip`, new Blob([pytorchProjectZip(spec, folder)], { type: 'application/zip' }));
    } catch (e) {
      setMessage(`PyTorch export failed: ${e instanceof Error ? e.message : String(e)}`);
    }
  };
  return (
    <>
      <button
        type="button"
        className="small"
        disabled={issues.length > 0}
        title={
          issues.length > 0 ? 'the spec has issues: fix them first' : 'train.py, the spec and a README, for torchrun'
        }
        onClick={save}
      >
        Export as PyTorch project
      </button>
      {message && (
        <p className="issue" role="alert">
          {message}
        </p>
      )}
    </>
  );
}
