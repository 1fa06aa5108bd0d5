import { useState } from 'react';
import { useCreateUser, useDeleteUser, useUsers, type UserInput } from '../../api/hooks/admin.ts';
import { ConfirmDialog } from '../../components/confirm-dialog.tsx';
import { Dialog } from '../../components/dialog.tsx';
import { Loading } from '../../components/empty-state.tsx';
import { RelativeTime } from '../../components/relative-time.tsx';
import { AdminHeader } from './admin-header.tsx';

const ROLES = ['Viewer', 'User', 'Op', 'Admin'] as const;
const EMPTY: UserInput = { username: '', password: '', role: 'Viewer', first_name: '', last_name: '', email: '' };

export function UsersPage() {
  const users = useUsers();
  const create = useCreateUser();
  const remove = useDeleteUser();
  const [draft, setDraft] = useState<UserInput | null>(null);
  const [deleting, setDeleting] = useState<string | null>(null);
  return (
    <>
      <AdminHeader
        title="Users"
        subtitle="Viewer reads; User also triggers, clears and pauses; Op also manages variables, connections and pools; Admin also users."
        action={
          <button className="btn btn-primary" onClick={() => setDraft(EMPTY)}>
            + Add user
          </button>
        }
      />
      <div className="table-wrap">
        <table className="table" aria-label="Users">
          <thead>
            <tr>
              <th>User</th>
              <th>Name</th>
              <th>Email</th>
              <th>Role</th>
              <th>Last login</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {(users.data?.users ?? []).map((user) => (
              <tr key={user.username}>
                <td className="mono">{user.username}</td>
                <td>{`${user.first_name} ${user.last_name}`.trim() || <span className="muted">—</span>}</td>
                <td className="small">{user.email || <span className="muted">—</span>}</td>
                <td>
                  <span className="badge">{user.role}</span>
                </td>
                <td className="small">
                  <RelativeTime iso={user.last_login} fallback="never" />
                </td>
                <td className="num">
                  <button className="btn btn-sm btn-ghost" onClick={() => setDeleting(user.username)}>
                    Delete
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        {users.isPending && <Loading />}
      </div>
      {draft !== null && (
        <Dialog title="Add user" onClose={() => setDraft(null)} busy={create.isPending} submitDisabled={draft.username === '' || draft.password === ''} onSubmit={() => create.mutate(draft, { onSuccess: () => setDraft(null) })}>
          <div style={{ display: 'grid', gridTemplateColumns: '1fr 1fr', gap: 12 }}>
            <div className="field">
              <label htmlFor="user-name">Username</label>
              <input id="user-name" className="input" value={draft.username} autoFocus onChange={(event) => setDraft({ ...draft, username: event.target.value })} />
            </div>
            <div className="field">
              <label htmlFor="user-role">Role</label>
              <select id="user-role" className="select" value={draft.role} onChange={(event) => setDraft({ ...draft, role: event.target.value as UserInput['role'] })}>
                {ROLES.map((role) => (
                  <option key={role}>{role}</option>
                ))}
              </select>
            </div>
            <div className="field">
              <label htmlFor="user-first">First name</label>
              <input id="user-first" className="input" value={draft.first_name} onChange={(event) => setDraft({ ...draft, first_name: event.target.value })} />
            </div>
            <div className="field">
              <label htmlFor="user-last">Last name</label>
              <input id="user-last" className="input" value={draft.last_name} onChange={(event) => setDraft({ ...draft, last_name: event.target.value })} />
            </div>
            <div className="field" style={{ gridColumn: '1 / -1' }}>
              <label htmlFor="user-email">Email</label>
              <input id="user-email" className="input" type="email" value={draft.email} onChange={(event) => setDraft({ ...draft, email: event.target.value })} />
            </div>
            <div className="field" style={{ gridColumn: '1 / -1' }}>
              <label htmlFor="user-password">Password</label>
              <input id="user-password" className="input" type="password" autoComplete="new-password" value={draft.password} onChange={(event) => setDraft({ ...draft, password: event.target.value })} />
            </div>
          </div>
        </Dialog>
      )}
      {deleting !== null && <ConfirmDialog title={`Delete user ${deleting}?`} message="Their sessions and API tokens stop working at once." busy={remove.isPending} onClose={() => setDeleting(null)} onConfirm={() => remove.mutate(deleting, { onSuccess: () => setDeleting(null) })} />}
    </>
  );
}
