import { useRenderedFields, type TiRef } from '../../../api/hooks/task-instances.ts';
import { Loading } from '../../../components/empty-state.tsx';

/** The template fields as they were rendered for this try (what actually ran). */
export function RenderedFieldsTab({ target, tryNumber }: { target: TiRef; tryNumber: number }) {
  const rendered = useRenderedFields(target, tryNumber);
  if (rendered.isPending) return <Loading />;
  const fields = rendered.data?.rendered_fields ?? null;
  if (fields === null || Object.keys(fields).length === 0) return <div className="log-empty">No rendered template fields for this try.</div>;
  return (
    <div style={{ overflow: 'auto', display: 'flex', flexDirection: 'column', gap: 12 }} data-testid="rendered-fields">
      {Object.entries(fields).map(([name, value]) => (
        <div key={name}>
          <div className="field-label mono" style={{ marginBottom: 4 }}>
            {name}
          </div>
          <pre className="code-block">{typeof value === 'string' ? value : JSON.stringify(value, null, 2)}</pre>
        </div>
      ))}
    </div>
  );
}
