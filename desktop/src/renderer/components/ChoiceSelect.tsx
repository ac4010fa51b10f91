/** A <select> whose first option is "no choice" ("Any", "All workspaces"): `null` when picked. */
export function ChoiceSelect<T extends string>({
  label,
  value,
  none,
  options,
  onChange,
}: {
  /** The accessible name. */
  label: string;
  value: T | null | undefined;
  none: string;
  options: readonly { value: T; label: string }[];
  onChange: (value: T | null) => void;
}) {
  return (
    <select aria-label={label} value={value ?? ''} onChange={(e) => onChange((e.target.value || null) as T | null)}>
      <option value="">{none}</option>
      {options.map((option) => (
        <option key={option.value} value={option.value}>
          {option.label}
        </option>
      ))}
    </select>
  );
}
