import type { UiTask } from '../../../api/serialized-dag.ts';
import type { TaskInstance, TaskInstanceTry } from '../../../api/types.ts';
import { RelativeTime } from '../../../components/relative-time.tsx';
import { StateBadge } from '../../../components/state-badge.tsx';
import { formatDuration } from '../../../lib/time.ts';

/** The task instance's facts and the history of its tries. */
export function TiDetailsTab({ ti, task, tries }: { ti: TaskInstance; task: UiTask | undefined; tries: TaskInstanceTry[] }) {
  return (
    <div style={{ overflow: 'auto', display: 'flex', flexDirection: 'column', gap: 16 }}>
      <dl className="kv">
        <dt>Operator</dt>
        <dd>{ti.operator}</dd>
        <dt>Try</dt>
        <dd>
          {ti.try_number} of {ti.max_tries + 1}
        </dd>
        <dt>Started</dt>
        <dd>
          <RelativeTime iso={ti.start_date} fallback="not yet" />
        </dd>
        <dt>Ended</dt>
        <dd>
          <RelativeTime iso={ti.end_date} />
        </dd>
        <dt>Duration</dt>
        <dd>{formatDuration(ti.duration === null ? null : ti.duration * 1000)}</dd>
        <dt>Pool</dt>
        <dd>
          {ti.pool} ({ti.pool_slots} slot{ti.pool_slots === 1 ? '' : 's'})
        </dd>
        <dt>Queue</dt>
        <dd>{ti.queue}</dd>
        <dt>Host / pid</dt>
        <dd className="mono">{ti.hostname === '' ? '—' : `${ti.hostname}${ti.pid === null ? '' : ` / ${ti.pid}`}`}</dd>
        <dt>Priority weight</dt>
        <dd>{ti.priority_weight}</dd>
        {task !== undefined && (
          <>
            <dt>Trigger rule</dt>
            <dd>{task.triggerRule}</dd>
            <dt>Upstream</dt>
            <dd className="mono small">{task.upstream.join(', ') || '—'}</dd>
          </>
        )}
      </dl>
      {task?.doc !== null && task?.doc !== undefined && <div className="doc">{task.doc}</div>}
      <div>
        <h3 style={{ marginBottom: 8 }}>Tries</h3>
        <div className="table-wrap">
          <table className="table">
            <thead>
              <tr>
                <th>#</th>
                <th>State</th>
                <th>Started</th>
                <th className="num">Duration</th>
              </tr>
            </thead>
            <tbody>
              {tries.map((attempt) => (
                <tr key={attempt.try_number}>
                  <td>{attempt.try_number}</td>
                  <td>
                    <StateBadge state={attempt.state} />
                    {attempt.error !== null && <div className="small field-error">{attempt.error.message}</div>}
                  </td>
                  <td className="small">
                    <RelativeTime iso={attempt.start_date} />
                  </td>
                  <td className="num small">{formatDuration(attempt.duration === null ? null : attempt.duration * 1000)}</td>
                </tr>
              ))}
            </tbody>
          </table>
          {tries.length === 0 && <div className="empty small">No tries yet.</div>}
        </div>
      </div>
    </div>
  );
}
