// A slider over the recorded evaluations of a run, with the shown one's epoch beside it: its last
// position follows the latest record, any other pins the record at that position.

export function EpochSlider({
  className,
  testId,
  label,
  ariaLabel,
  last,
  index,
  epoch,
  latest,
  onPin,
  announce = false,
}: {
  className: string;
  testId?: string;
  label: string;
  ariaLabel: string;
  /** The latest record's position. */
  last: number;
  /** The shown record's position, and its epoch. */
  index: number;
  epoch: number;
  /** Whether the shown record follows the latest ("(latest)" after the epoch). */
  latest: boolean;
  /** A position to pin, or undefined to follow the latest again. */
  onPin: (index: number | undefined) => void;
  /** Screen readers announce the epoch as it changes (role status). */
  announce?: boolean;
}) {
  return (
    <label className={className} data-testid={testId} style={{ display: 'flex', gap: 8, alignItems: 'center' }}>
      <span>{label}</span>
      <input
        type="range"
        min={0}
        max={last}
        step={1}
        value={index}
        onChange={(e) => {
          const v = Number(e.target.value);
          onPin(v === last ? undefined : v);
        }}
        aria-label={ariaLabel}
      />
      <output role={announce ? 'status' : undefined}>
        {epoch.toFixed(2)}
        {latest ? ' (latest)' : ''}
      </output>
    </label>
  );
}
