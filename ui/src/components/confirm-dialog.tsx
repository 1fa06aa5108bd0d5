import { Dialog } from './dialog.tsx';

/** "Delete X?" with the consequence spelled out; Enter confirms, Escape cancels. */
export function ConfirmDialog({ title, message, busy, onConfirm, onClose }: { title: string; message: string; busy: boolean; onConfirm: () => void; onClose: () => void }) {
  return (
    <Dialog title={title} onClose={onClose} onSubmit={onConfirm} submitLabel="Delete" submitKind="danger" busy={busy}>
      <p style={{ margin: 0 }}>{message}</p>
    </Dialog>
  );
}
