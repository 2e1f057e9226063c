// A labelled range slider with its value shown; arrow keys, Page Up/Down and Home/End work natively.
import { useId } from 'react';

interface ToySliderProps {
  label: string;
  value: number;
  min: number;
  max: number;
  step: number;
  onChange(value: number): void;
  /** Shown value, e.g. with units. */
  format?: (v: number) => string;
  hint?: string;
}

export function ToySlider({ label, value, min, max, step, onChange, format = String, hint }: ToySliderProps) {
  const id = useId();
  const shown = format(value);
  return (
    <div className="field">
      <label htmlFor={id}>
        {label}: <output htmlFor={id}>{shown}</output>
      </label>
      <input
        id={id}
        type="range"
        min={min}
        max={max}
        step={step}
        value={value}
        aria-valuetext={shown}
        title={hint}
        onChange={(e) => onChange(Number(e.target.value))}
      />
    </div>
  );
}
