import { formatExact, formatRelative } from '../lib/time.ts';
import { useNow } from '../lib/use-now.ts';

/** "5 min ago", with the exact local time on hover. */
export function RelativeTime({ iso, fallback = '—' }: { iso: string | null | undefined; fallback?: string }) {
  const now = useNow(30_000);
  if (iso === null || iso === undefined) return <span className="muted">{fallback}</span>;
  return (
    <time dateTime={iso} title={`${formatExact(iso)} (${iso})`}>
      {formatRelative(iso, now)}
    </time>
  );
}
