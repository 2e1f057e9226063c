// The ready-made experiments, with what each one shows.
import { EXPORT_ONLY_WARNING, PRESETS } from '../core/presets';
import { selectPresetId } from '../state/selectors';
import { PytorchExportButton } from './export/PytorchExportButton';
import { useLab, useLabContext } from './labContext';

export function PresetPicker({ disabled }: { disabled: boolean }) {
  const presetId = useLab(selectPresetId);
  const { store } = useLabContext();
  const preset = PRESETS.find((p) => p.id === presetId);
  return (
    <section className="panel presets">
      <label>
        Preset{' '}
        <select
          disabled={disabled}
          value={presetId ?? ''}
          onChange={(e) => store.getState().loadPreset(e.target.value)}
          aria-label="preset"
        >
          {presetId === undefined && <option value="">(edited)</option>}
          {PRESETS.map((p) => (
            <option key={p.id} value={p.id}>
              {p.title}
            </option>
          ))}
        </select>
      </label>
      {preset && <p className="description">{preset.description}</p>}
      {preset?.exportOnly && (
        <p className="warning" role="note">
          {EXPORT_ONLY_WARNING}
        </p>
      )}
      <PytorchExportButton />
    </section>
  );
}
