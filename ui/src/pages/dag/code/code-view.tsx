import { useState } from 'react';
import { useDagSource, useDagVersions } from '../../../api/hooks/dags.ts';
import { Loading } from '../../../components/empty-state.tsx';
import { RelativeTime } from '../../../components/relative-time.tsx';

/** The DAG file's source, per parsed version, with line numbers. */
export function CodeView({ dagId }: { dagId: string }) {
  const versions = useDagVersions(dagId);
  const [version, setVersion] = useState<number | null>(null);
  const source = useDagSource(dagId, version);
  const list = versions.data?.versions ?? [];
  const shown = list.find((candidate) => candidate.version_number === (version ?? list[0]?.version_number));
  const lines = (source.data?.content ?? '').split('\n');
  return (
    <div className="card code-view">
      <div className="code-toolbar">
        <select className="select" aria-label="Version" value={version ?? ''} onChange={(event) => setVersion(event.target.value === '' ? null : Number(event.target.value))}>
          <option value="">Latest{list[0] === undefined ? '' : ` (v${list[0].version_number})`}</option>
          {list.map((candidate) => (
            <option key={candidate.version_number} value={candidate.version_number}>
              v{candidate.version_number} · {candidate.version_hash.slice(0, 8)}
            </option>
          ))}
        </select>
        {shown !== undefined && (
          <span className="small muted">
            Parsed <RelativeTime iso={shown.created_at} /> · <span className="mono">{source.data?.fileloc ?? shown.fileloc}</span>
          </span>
        )}
      </div>
      {source.isPending ? (
        <Loading />
      ) : (
        <pre className="code-lines">
          {lines.map((line, index) => (
            <div key={index} className="code-line">
              <span className="line-number">{index + 1}</span>
              <span>{line || ' '}</span>
            </div>
          ))}
        </pre>
      )}
    </div>
  );
}
