import { useState } from 'react';
import type { ConnectionInput } from '../../api/hooks/admin.ts';
import { Dialog } from '../../components/dialog.tsx';

const TYPES = ['postgres', 'mysql', 'redis', 'http', 's3', 'smtp', 'memcached', 'kubernetes', 'generic'];
type Draft = ConnectionInput & { isNew: boolean };

/** Create or edit a connection; an empty password field keeps the stored password. */
export function ConnectionDialog({ initial, busy, onClose, onSave }: { initial: Draft; busy: boolean; onClose: () => void; onSave: (input: Draft) => void }) {
  const [draft, setDraft] = useState(initial);
  const [password, setPassword] = useState('');
  const text = (key: 'host' | 'schema' | 'login' | 'description') => ({
    value: draft[key] ?? '',
    onChange: (event: { target: { value: string } }) => setDraft({ ...draft, [key]: event.target.value === '' ? null : event.target.value }),
  });
  return (
    <Dialog
      title={draft.isNew ? 'Add connection' : `Edit ${draft.connection_id}`}
      onClose={onClose}
      busy={busy}
      submitDisabled={draft.connection_id === '' || draft.conn_type === ''}
      onSubmit={() => onSave(password === '' ? draft : { ...draft, password })}
      wide
    >
      <div style={{ display: 'grid', gridTemplateColumns: '1fr 1fr', gap: 12 }}>
        <div className="field">
          <label htmlFor="conn-id">Connection id</label>
          <input id="conn-id" className="input mono" value={draft.connection_id} disabled={!draft.isNew} onChange={(event) => setDraft({ ...draft, connection_id: event.target.value })} autoFocus />
        </div>
        <div className="field">
          <label htmlFor="conn-type">Type</label>
          <input id="conn-type" className="input" list="conn-types" value={draft.conn_type} onChange={(event) => setDraft({ ...draft, conn_type: event.target.value })} />
          <datalist id="conn-types">
            {TYPES.map((type) => (
              <option key={type} value={type} />
            ))}
          </datalist>
        </div>
        <div className="field">
          <label htmlFor="conn-host">Host</label>
          <input id="conn-host" className="input" {...text('host')} />
        </div>
        <div className="field">
          <label htmlFor="conn-port">Port</label>
          <input id="conn-port" className="input" type="number" value={draft.port ?? ''} onChange={(event) => setDraft({ ...draft, port: event.target.value === '' ? null : Number(event.target.value) })} />
        </div>
        <div className="field">
          <label htmlFor="conn-schema">Schema / database</label>
          <input id="conn-schema" className="input" {...text('schema')} />
        </div>
        <div className="field">
          <label htmlFor="conn-login">Login</label>
          <input id="conn-login" className="input" autoComplete="off" {...text('login')} />
        </div>
        <div className="field" style={{ gridColumn: '1 / -1' }}>
          <label htmlFor="conn-password">Password</label>
          <input id="conn-password" className="input" type="password" autoComplete="new-password" value={password} placeholder={draft.isNew ? '' : 'Leave empty to keep the current password'} onChange={(event) => setPassword(event.target.value)} />
        </div>
        <div className="field" style={{ gridColumn: '1 / -1' }}>
          <label htmlFor="conn-description">Description</label>
          <input id="conn-description" className="input" {...text('description')} />
        </div>
      </div>
    </Dialog>
  );
}
