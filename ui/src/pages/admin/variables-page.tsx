import { useState } from 'react';
import { useDeleteVariable, useSaveVariable, useVariables, type VariableInput } from '../../api/hooks/admin.ts';
import { ConfirmDialog } from '../../components/confirm-dialog.tsx';
import { Dialog } from '../../components/dialog.tsx';
import { EmptyState, Loading } from '../../components/empty-state.tsx';
import { AdminHeader } from './admin-header.tsx';
import { RowActions } from './row-actions.tsx';

const EMPTY: VariableInput = { key: '', value: '', description: null, is_encrypted: false };

export function VariablesPage({ canWrite }: { canWrite: boolean }) {
  const variables = useVariables();
  const save = useSaveVariable();
  const remove = useDeleteVariable();
  const [editing, setEditing] = useState<(VariableInput & { isNew: boolean }) | null>(null);
  const [deleting, setDeleting] = useState<string | null>(null);
  const list = variables.data?.variables ?? [];
  return (
    <>
      <AdminHeader
        title="Variables"
        subtitle="Key/value settings that templates read as {{ var.value.key }} and {{ var.json.key }}."
        action={
          <button className="btn btn-primary" disabled={!canWrite} onClick={() => setEditing({ ...EMPTY, isNew: true })}>
            + Add variable
          </button>
        }
      />
      <div className="table-wrap">
        <table className="table" aria-label="Variables">
          <thead>
            <tr>
              <th>Key</th>
              <th>Value</th>
              <th>Description</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {list.map((variable) => (
              <tr key={variable.key}>
                <td className="mono">{variable.key}</td>
                <td className="mono small ellipsis" style={{ maxWidth: 380 }}>
                  {variable.is_encrypted ? <span className="badge">🔒 encrypted</span> : variable.value}
                </td>
                <td className="small muted">{variable.description ?? ''}</td>
                <RowActions canWrite={canWrite} onEdit={() => setEditing({ key: variable.key, value: variable.value ?? '', description: variable.description, is_encrypted: variable.is_encrypted, isNew: false })} onDelete={() => setDeleting(variable.key)} />
              </tr>
            ))}
          </tbody>
        </table>
        {variables.isPending && <Loading />}
        {variables.data !== undefined && list.length === 0 && <EmptyState title="No variables yet">Add one here or with `updraft variables set`.</EmptyState>}
      </div>
      {editing !== null && (
        <Dialog
          title={editing.isNew ? 'Add variable' : `Edit ${editing.key}`}
          onClose={() => setEditing(null)}
          busy={save.isPending}
          submitDisabled={editing.key === ''}
          onSubmit={() => {
            const { isNew: _isNew, ...body } = editing;
            save.mutate(body, { onSuccess: () => setEditing(null) });
          }}
        >
          <div className="field">
            <label htmlFor="variable-key">Key</label>
            <input id="variable-key" className="input mono" value={editing.key} disabled={!editing.isNew} onChange={(event) => setEditing({ ...editing, key: event.target.value })} autoFocus />
          </div>
          <div className="field">
            <label htmlFor="variable-value">Value</label>
            <textarea id="variable-value" className="textarea" rows={5} value={editing.value} onChange={(event) => setEditing({ ...editing, value: event.target.value })} placeholder={editing.is_encrypted && !editing.isNew ? 'Encrypted: enter a new value to replace it' : ''} />
          </div>
          <div className="field">
            <label htmlFor="variable-description">Description</label>
            <input id="variable-description" className="input" value={editing.description ?? ''} onChange={(event) => setEditing({ ...editing, description: event.target.value === '' ? null : event.target.value })} />
          </div>
          <label className="checkbox">
            <input type="checkbox" checked={editing.is_encrypted} onChange={(event) => setEditing({ ...editing, is_encrypted: event.target.checked })} /> Encrypt the value (it is never shown again)
          </label>
        </Dialog>
      )}
      {deleting !== null && (
        <ConfirmDialog title={`Delete ${deleting}?`} message="Templates and tasks that read this variable will fail until it exists again." busy={remove.isPending} onClose={() => setDeleting(null)} onConfirm={() => remove.mutate(deleting, { onSuccess: () => setDeleting(null) })} />
      )}
    </>
  );
}
