import { stateColor, stateLabel } from '../lib/states.ts';

export function StateBadge({ state }: { state: string | null | undefined }) {
  return (
    <span className="badge" data-state={state ?? 'none'}>
      <span className="state-dot" style={{ background: stateColor(state) }} />
      {stateLabel(state)}
    </span>
  );
}
