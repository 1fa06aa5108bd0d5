import { useState } from 'react';
import { useConnections, useDeleteConnection, useSaveConnection, type ConnectionInput } from '../../api/hooks/admin.ts';
import type { Connection } from '../../api/types.ts';
import { ConfirmDialog } from '../../components/confirm-dialog.tsx';
import { EmptyState, Loading } from '../../components/empty-state.tsx';
import { AdminHeader } from './admin-header.tsx';
import { ConnectionDialog } from './connection-dialog.tsx';
import { RowActions } from './row-actions.tsx';

const blank = (): ConnectionInput & { isNew: boolean } => ({ connection_id: '', conn_type: 'postgres', description: null, host: null, schema: null, login: null, port: null, isNew: true });
const fromConnection = (connection: Connection): ConnectionInput & { isNew: boolean } => ({
  connection_id: connection.connection_id,
  conn_type: connection.conn_type,
  description: connection.description,
  host: connection.host,
  schema: connection.schema,
  login: connection.login,
  port: connection.port,
  isNew: false,
});

export function ConnectionsPage({ canWrite }: { canWrite: boolean }) {
  const connections = useConnections();
  const save = useSaveConnection();
  const remove = useDeleteConnection();
  const [editing, setEditing] = useState<(ConnectionInput & { isNew: boolean }) | null>(null);
  const [deleting, setDeleting] = useState<string | null>(null);
  const list = connections.data?.connections ?? [];
  return (
    <>
      <AdminHeader
        title="Connections"
        subtitle="Credentials for outside systems; passwords and extras are stored encrypted and never shown."
        action={
          <button className="btn btn-primary" disabled={!canWrite} onClick={() => setEditing(blank())}>
            + Add connection
          </button>
        }
      />
      <div className="table-wrap">
        <table className="table" aria-label="Connections">
          <thead>
            <tr>
              <th>Connection id</th>
              <th>Type</th>
              <th>Host</th>
              <th>Login</th>
              <th>Secrets</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {list.map((connection) => (
              <tr key={connection.connection_id}>
                <td className="mono">{connection.connection_id}</td>
                <td>
                  <span className="badge">{connection.conn_type}</span>
                </td>
                <td className="mono small">
                  {connection.host ?? '—'}
                  {connection.port === null ? '' : `:${connection.port}`}
                  {connection.schema === null ? '' : `/${connection.schema}`}
                </td>
                <td className="small">{connection.login ?? '—'}</td>
                <td className="small muted">{[connection.has_password ? 'password' : null, connection.has_extra ? 'extra' : null].filter((part) => part !== null).join(', ') || '—'}</td>
                <RowActions canWrite={canWrite} onEdit={() => setEditing(fromConnection(connection))} onDelete={() => setDeleting(connection.connection_id)} />
              </tr>
            ))}
          </tbody>
        </table>
        {connections.isPending && <Loading />}
        {connections.data !== undefined && list.length === 0 && <EmptyState title="No connections yet">Add one here or with `updraft connections add`.</EmptyState>}
      </div>
      {editing !== null && <ConnectionDialog initial={editing} busy={save.isPending} onClose={() => setEditing(null)} onSave={(input) => save.mutate(input, { onSuccess: () => setEditing(null) })} />}
      {deleting !== null && (
        <ConfirmDialog title={`Delete ${deleting}?`} message="Tasks and hooks that use this connection will fail until it exists again." busy={remove.isPending} onClose={() => setDeleting(null)} onConfirm={() => remove.mutate(deleting, { onSuccess: () => setDeleting(null) })} />
      )}
    </>
  );
}
