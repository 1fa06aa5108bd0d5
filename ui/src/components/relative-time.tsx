import { formatExact, formatRelative } from '../lib/time.ts';
import { useNow } from '../lib/use-now.ts';

/** "5 min ago", with the exact local time on hover. */
export function RelativeTime({ iso, fallback = '—' }: { iso: string | null | undefined; fallback?: string }) {
  // useNow only re-renders as time passes; the text uses the clock at render time so that an
  // instant that just happened never reads "in 3 sec." because the ticker is a few seconds old.
  useNow(15_000);
  if (iso === null || iso === undefined) return <span className="muted">{fallback}</span>;
  return (
    <time dateTime={iso} title={`${formatExact(iso)} (${iso})`}>
      {formatRelative(iso, Date.now())}
    </time>
  );
}
