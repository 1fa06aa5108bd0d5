import { useState } from 'react';
import { useDeletePool, usePools, useSavePool, type PoolInput } from '../../api/hooks/admin.ts';
import { ConfirmDialog } from '../../components/confirm-dialog.tsx';
import { Dialog } from '../../components/dialog.tsx';
import { Loading } from '../../components/empty-state.tsx';
import { AdminHeader } from './admin-header.tsx';
import { RowActions } from './row-actions.tsx';

/** A bar of a pool's slots: running, queued, open. */
function SlotBar({ slots, running, queued }: { slots: number; running: number; queued: number }) {
  const part = (value: number): string => `${slots === 0 ? 0 : Math.min(100, (value / slots) * 100)}%`;
  return (
    <div className="slot-bar" title={`${running} running · ${queued} queued · ${slots} slots`}>
      <span style={{ width: part(running), background: 'var(--state-running)' }} />
      <span style={{ width: part(queued), background: 'var(--state-queued)' }} />
    </div>
  );
}

export function PoolsPage({ canWrite }: { canWrite: boolean }) {
  const pools = usePools();
  const save = useSavePool();
  const remove = useDeletePool();
  const [editing, setEditing] = useState<(PoolInput & { isNew: boolean }) | null>(null);
  const [deleting, setDeleting] = useState<string | null>(null);
  return (
    <>
      <AdminHeader
        title="Pools"
        subtitle="Limit how many tasks run at once against a shared resource."
        action={
          <button className="btn btn-primary" disabled={!canWrite} onClick={() => setEditing({ name: '', slots: 8, description: null, isNew: true })}>
            + Add pool
          </button>
        }
      />
      <div className="table-wrap">
        <table className="table" aria-label="Pools">
          <thead>
            <tr>
              <th>Pool</th>
              <th className="num">Slots</th>
              <th className="num">Running</th>
              <th className="num">Queued</th>
              <th className="num">Open</th>
              <th style={{ width: 180 }}>Usage</th>
              <th>Description</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {(pools.data?.pools ?? []).map((pool) => (
              <tr key={pool.name}>
                <td className="mono">{pool.name}</td>
                <td className="num">{pool.slots}</td>
                <td className="num">{pool.running_slots}</td>
                <td className="num">{pool.queued_slots}</td>
                <td className="num">{pool.open_slots}</td>
                <td>
                  <SlotBar slots={pool.slots} running={pool.running_slots} queued={pool.queued_slots} />
                </td>
                <td className="small muted">{pool.description ?? ''}</td>
                <RowActions canWrite={canWrite} onEdit={() => setEditing({ name: pool.name, slots: pool.slots, description: pool.description, isNew: false })} onDelete={() => setDeleting(pool.name)} deletable={pool.name !== 'default_pool'} />
              </tr>
            ))}
          </tbody>
        </table>
        {pools.isPending && <Loading />}
      </div>
      {editing !== null && (
        <Dialog
          title={editing.isNew ? 'Add pool' : `Edit ${editing.name}`}
          onClose={() => setEditing(null)}
          busy={save.isPending}
          submitDisabled={editing.name === ''}
          onSubmit={() => {
            const { isNew: _isNew, ...body } = editing;
            save.mutate(body, { onSuccess: () => setEditing(null) });
          }}
        >
          <div className="field">
            <label htmlFor="pool-name">Name</label>
            <input id="pool-name" className="input mono" value={editing.name} disabled={!editing.isNew} onChange={(event) => setEditing({ ...editing, name: event.target.value })} autoFocus />
          </div>
          <div className="field">
            <label htmlFor="pool-slots">Slots</label>
            <input id="pool-slots" className="input" type="number" min={0} value={editing.slots} onChange={(event) => setEditing({ ...editing, slots: Number(event.target.value) })} />
          </div>
          <div className="field">
            <label htmlFor="pool-description">Description</label>
            <input id="pool-description" className="input" value={editing.description ?? ''} onChange={(event) => setEditing({ ...editing, description: event.target.value === '' ? null : event.target.value })} />
          </div>
        </Dialog>
      )}
      {deleting !== null && (
        <ConfirmDialog title={`Delete pool ${deleting}?`} message="Tasks assigned to this pool will not be scheduled until it exists again." busy={remove.isPending} onClose={() => setDeleting(null)} onConfirm={() => remove.mutate(deleting, { onSuccess: () => setDeleting(null) })} />
      )}
    </>
  );
}
