import { useEffect, useRef, useState, type ReactNode } from 'react';

/** A button that opens a list; closes on outside click, Escape, or choosing an item. */
export function Menu(props: { label: ReactNode; buttonClass: string; align?: 'left' | 'right'; ariaLabel?: string; children: (close: () => void) => ReactNode }) {
  const [open, setOpen] = useState(false);
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!open) return undefined;
    const onPointer = (event: PointerEvent): void => {
      if (ref.current !== null && !ref.current.contains(event.target as Node)) setOpen(false);
    };
    const onKey = (event: KeyboardEvent): void => {
      if (event.key === 'Escape') setOpen(false);
    };
    document.addEventListener('pointerdown', onPointer);
    document.addEventListener('keydown', onKey);
    return () => {
      document.removeEventListener('pointerdown', onPointer);
      document.removeEventListener('keydown', onKey);
    };
  }, [open]);
  return (
    <div className="menu" ref={ref}>
      <button className={props.buttonClass} aria-haspopup="menu" aria-expanded={open} aria-label={props.ariaLabel} onClick={() => setOpen((was) => !was)}>
        {props.label}
      </button>
      {open && (
        <div className={`menu-list${props.align === 'right' ? ' right' : ''}`} role="menu">
          {props.children(() => setOpen(false))}
        </div>
      )}
    </div>
  );
}
