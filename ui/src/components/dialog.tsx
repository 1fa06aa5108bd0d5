import { useEffect, useRef, type FormEvent, type ReactNode } from 'react';

interface DialogProps {
  title: ReactNode;
  subtitle?: ReactNode;
  onClose: () => void;
  onSubmit?: () => void;
  submitLabel?: string;
  submitKind?: 'primary' | 'danger';
  submitDisabled?: boolean;
  busy?: boolean;
  wide?: boolean;
  children: ReactNode;
}

/**
 * A modal on the native <dialog>: the browser traps focus, Escape closes it and the first field
 * gets focus, so every dialog is keyboard-friendly without extra code. Enter submits the form.
 */
export function Dialog(props: DialogProps) {
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const dialog = ref.current;
    if (dialog !== null && !dialog.open) dialog.showModal();
  }, []);
  const submit = (event: FormEvent): void => {
    event.preventDefault();
    if (props.submitDisabled !== true && props.busy !== true) props.onSubmit?.();
  };
  return (
    <dialog
      ref={ref}
      className={`dialog${props.wide === true ? ' wide' : ''}`}
      onCancel={(event) => {
        event.preventDefault();
        props.onClose();
      }}
      onClick={(event) => {
        if (event.target === ref.current) props.onClose();
      }}
    >
      <form className="dialog-form" onSubmit={submit}>
        <div className="dialog-header">
          <h2>{props.title}</h2>
          {props.subtitle !== undefined && <div className="subtitle">{props.subtitle}</div>}
        </div>
        <div className="dialog-body">{props.children}</div>
        <div className="dialog-footer">
          <button type="button" className="btn" onClick={props.onClose}>
            {props.onSubmit === undefined ? 'Close' : 'Cancel'}
          </button>
          {props.onSubmit !== undefined && (
            <button type="submit" className={`btn ${props.submitKind === 'danger' ? 'btn-danger' : 'btn-primary'}`} disabled={props.submitDisabled === true || props.busy === true}>
              {props.busy === true ? 'Working…' : (props.submitLabel ?? 'Save')}
            </button>
          )}
        </div>
      </form>
    </dialog>
  );
}
