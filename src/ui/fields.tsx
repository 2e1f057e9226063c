// Form fields that keep what the user types (so "0." is not rewritten mid-typing) and show the
// validation issue of their spec path right next to them.
import { useEffect, useId, useState, type ReactNode } from 'react';
import type { Norm, SpecIssue } from '../core/spec';
import { selectIssues } from '../state/selectors';
import { useLab } from './labContext';

export function useIssue(path: string): SpecIssue | undefined {
  const issues = useLab(selectIssues);
  return issues.find((i) => i.path === path);
}

function FieldShell({ label, path, children, id }: { label: string; path: string; children: ReactNode; id: string }) {
  const issue = useIssue(path);
  return (
    <div className={issue ? 'field invalid' : 'field'} data-path={path}>
      <label htmlFor={id}>{label}</label>
      {children}
      {issue && (
        <div className="issue" role="alert">
          {issue.message}
        </div>
      )}
    </div>
  );
}

interface NumberFieldProps {
  label: string;
  path: string;
  value: number;
  onChange(value: number): void;
  /** Shown value = value * scale (eps in k/255: scale 255). */
  scale?: number;
  step?: number;
  suffix?: string;
}

/** L-inf budgets are typed in k/255, the paper's unit; L2 budgets as they are. */
export const pixelUnits = (norm: Norm) => (norm === 'linf' ? { scale: 255, suffix: '/255' } : {});

const shown = (value: number, scale: number) =>
  Number.isFinite(value) ? String(Number((value * scale).toPrecision(6))) : '';

export function NumberField({ label, path, value, onChange, scale = 1, step, suffix }: NumberFieldProps) {
  const id = useId();
  const [text, setText] = useState(() => shown(value, scale));
  useEffect(() => {
    // Follow outside changes (a preset) but not the echo of our own edit.
    setText((t) => (t.trim() !== '' && Number(t) / scale === value ? t : shown(value, scale)));
  }, [value, scale]);
  return (
    <FieldShell label={label} path={path} id={id}>
      <span className="input-with-suffix">
        <input
          id={id}
          type="text"
          inputMode="decimal"
          value={text}
          step={step}
          onChange={(e) => {
            setText(e.target.value);
            const t = e.target.value.trim();
            onChange(t === '' ? NaN : Number(t) / scale);
          }}
        />
        {suffix && <span className="suffix">{suffix}</span>}
      </span>
    </FieldShell>
  );
}

interface SelectFieldProps<T extends string> {
  label: string;
  path: string;
  value: T;
  options: readonly T[];
  optionLabel?(option: T): string;
  onChange(value: T): void;
}

export function SelectField<T extends string>({
  label,
  path,
  value,
  options,
  optionLabel,
  onChange,
}: SelectFieldProps<T>) {
  const id = useId();
  return (
    <FieldShell label={label} path={path} id={id}>
      <select id={id} value={value} onChange={(e) => onChange(e.target.value as T)}>
        {options.map((o) => (
          <option key={o} value={o}>
            {optionLabel ? optionLabel(o) : o}
          </option>
        ))}
      </select>
    </FieldShell>
  );
}
