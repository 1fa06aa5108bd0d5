import { useXComs, type TiRef } from '../../../api/hooks/task-instances.ts';
import { Loading } from '../../../components/empty-state.tsx';
import { RelativeTime } from '../../../components/relative-time.tsx';

/** Values the task pushed (its return value is `return_value`). */
export function XComTab({ target }: { target: TiRef }) {
  const xcoms = useXComs(target);
  if (xcoms.isPending) return <Loading />;
  const entries = xcoms.data?.xcom_entries ?? [];
  if (entries.length === 0) return <div className="log-empty">This task pushed no XCom.</div>;
  return (
    <div style={{ overflow: 'auto', display: 'flex', flexDirection: 'column', gap: 12 }}>
      {entries.map((entry) => (
        <div key={entry.key}>
          <div style={{ display: 'flex', justifyContent: 'space-between', marginBottom: 4 }}>
            <span className="field-label mono">{entry.key}</span>
            <span className="small muted">
              <RelativeTime iso={entry.timestamp} />
            </span>
          </div>
          <pre className="code-block">{JSON.stringify(entry.value, null, 2)}</pre>
        </div>
      ))}
    </div>
  );
}
