import { useVirtualizer } from '@tanstack/react-virtual';
import { useEffect, useMemo, useRef, useState } from 'react';
import type { TiRef } from '../../../api/hooks/task-instances.ts';
import { useLogStream } from './use-log-stream.ts';

const LINE_HEIGHT = 19;

/** Marks every occurrence of `query` in a line. */
function Highlighted({ line, query }: { line: string; query: string }) {
  if (query === '') return <>{line}</>;
  const parts = line.split(new RegExp(`(${query.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')})`, 'gi'));
  return <>{parts.map((part, index) => (index % 2 === 1 ? <mark key={index}>{part}</mark> : part))}</>;
}

/**
 * Monospace log with line numbers, a search box that keeps only matching lines, and tailing:
 * while the try runs the view follows new lines unless the reader scrolled up.
 */
export function LogViewer({ target, tryNumber, follow }: { target: TiRef; tryNumber: number; follow: boolean }) {
  const log = useLogStream(target, tryNumber, follow);
  const [query, setQuery] = useState('');
  const [wrap, setWrap] = useState(false);
  const scrollRef = useRef<HTMLDivElement>(null);
  const pinned = useRef(true);
  const lines = useMemo(() => {
    const all = log.text.replace(/\n$/, '').split('\n').map((text, index) => ({ number: index + 1, text }));
    if (log.text === '') return [];
    const needle = query.toLowerCase();
    return needle === '' ? all : all.filter((line) => line.text.toLowerCase().includes(needle));
  }, [log.text, query]);
  const rows = useVirtualizer({ count: lines.length, getScrollElement: () => scrollRef.current, estimateSize: () => LINE_HEIGHT, overscan: 30 });

  useEffect(() => {
    if (pinned.current && lines.length > 0) rows.scrollToIndex(lines.length - 1, { align: 'end' });
  }, [lines.length, rows]);

  return (
    <div className="log-viewer">
      <div className="log-toolbar">
        <input type="search" className="input" placeholder="Search the log" aria-label="Search the log" value={query} onChange={(event) => setQuery(event.target.value)} style={{ flex: 1, height: 28 }} />
        {query !== '' && <span className="small muted">{lines.length} matching</span>}
        <label className="checkbox small">
          <input type="checkbox" checked={wrap} onChange={(event) => setWrap(event.target.checked)} /> Wrap
        </label>
        {log.live && (
          <span className="live-badge" title="Following the log while the task runs">
            <span className="live-dot" /> Live
          </span>
        )}
      </div>
      {log.problem !== null ? (
        <div className="log-empty">{log.problem.status === 404 ? 'No log for this try yet.' : `${log.problem.title}: ${log.problem.detail}`}</div>
      ) : lines.length === 0 ? (
        <div className="log-empty">{log.live ? 'Waiting for the task to write its log…' : query === '' ? 'The log is empty.' : 'No line matches.'}</div>
      ) : (
        <div
          className={`log-lines${wrap ? ' wrap' : ''}`}
          ref={scrollRef}
          data-testid="log"
          onScroll={(event) => {
            const element = event.currentTarget;
            pinned.current = element.scrollHeight - element.scrollTop - element.clientHeight < LINE_HEIGHT * 2;
          }}
        >
          <div style={{ height: rows.getTotalSize(), position: 'relative' }}>
            {rows.getVirtualItems().map((item) => {
              const line = lines[item.index];
              if (line === undefined) return null;
              return (
                <div key={item.key} className="log-line" data-index={item.index} ref={rows.measureElement} style={{ transform: `translateY(${item.start}px)` }}>
                  <span className="line-number">{line.number}</span>
                  <span className="log-text">
                    <Highlighted line={line.text} query={query} />
                  </span>
                </div>
              );
            })}
          </div>
        </div>
      )}
    </div>
  );
}
