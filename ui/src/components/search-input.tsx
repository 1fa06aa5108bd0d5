import { useEffect, useState } from 'react';

/** A search box that reports its value after typing pauses, so each keystroke is not a request. */
export function SearchInput({ value, onChange, placeholder, delayMs = 200 }: { value: string; onChange: (value: string) => void; placeholder: string; delayMs?: number }) {
  const [draft, setDraft] = useState(value);
  useEffect(() => {
    if (draft === value) return undefined;
    const timer = window.setTimeout(() => onChange(draft), delayMs);
    return () => window.clearTimeout(timer);
  }, [draft, value, onChange, delayMs]);
  return (
    <input
      type="search"
      className="input"
      style={{ width: 280 }}
      placeholder={placeholder}
      aria-label={placeholder}
      value={draft}
      onChange={(event) => setDraft(event.target.value)}
    />
  );
}
