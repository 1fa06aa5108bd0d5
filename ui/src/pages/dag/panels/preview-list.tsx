import { StateBadge } from '../../../components/state-badge.tsx';

/** The task instances an action will change, shown before it is confirmed. */
export function PreviewList({ items, loading, emptyText }: { items: { key: string; label: string; state: string }[]; loading: boolean; emptyText: string }) {
  if (loading) return <div className="muted small">Computing what will change…</div>;
  if (items.length === 0) return <div className="muted small">{emptyText}</div>;
  return (
    <div>
      <div className="small" style={{ marginBottom: 6, fontWeight: 600 }}>
        {items.length} task instance{items.length === 1 ? '' : 's'} will change
      </div>
      <div className="preview-list" data-testid="action-preview">
        {items.map((item) => (
          <div key={item.key}>
            <span className="mono" style={{ flex: 1 }}>
              {item.label}
            </span>
            <StateBadge state={item.state} />
          </div>
        ))}
      </div>
    </div>
  );
}
