import { usePauseDag } from '../api/hooks/dags.ts';

/** The on/off switch of a DAG: on means scheduled (not paused), as in Airflow. */
export function PauseToggle({ dagId, paused, disabled = false }: { dagId: string; paused: boolean; disabled?: boolean }) {
  const pause = usePauseDag();
  return (
    <button
      type="button"
      className="switch"
      role="switch"
      aria-checked={!paused}
      aria-label={paused ? `Unpause ${dagId}` : `Pause ${dagId}`}
      title={paused ? 'Paused: click to schedule runs' : 'Active: click to pause'}
      disabled={disabled || pause.isPending}
      onClick={() => pause.mutate({ dagId, paused: !paused })}
    />
  );
}
