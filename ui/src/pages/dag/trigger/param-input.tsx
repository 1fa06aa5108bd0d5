import type { ParamField } from '../../../lib/param-fields.ts';

/** One generated form field, its widget chosen by the param's JSON Schema. */
export function ParamInput({ field, value, error, onChange }: { field: ParamField; value: string; error: string | undefined; onChange: (value: string) => void }) {
  const id = `param-${field.name}`;
  const widget = (() => {
    switch (field.kind) {
      case 'boolean':
        return (
          <label className="checkbox">
            <input id={id} type="checkbox" checked={value === 'true'} onChange={(event) => onChange(String(event.target.checked))} />
            {value === 'true' ? 'true' : 'false'}
          </label>
        );
      case 'enum':
        return (
          <select id={id} className="select" value={value} onChange={(event) => onChange(event.target.value)}>
            {field.options.map((option) => (
              <option key={option}>{option}</option>
            ))}
          </select>
        );
      case 'json':
      case 'multiline':
        return <textarea id={id} className="textarea" rows={field.kind === 'json' ? 5 : 3} value={value} onChange={(event) => onChange(event.target.value)} spellCheck={false} />;
      default:
        return (
          <input
            id={id}
            name={field.name}
            className="input"
            inputMode={field.kind === 'string' ? undefined : 'decimal'}
            value={value}
            onChange={(event) => onChange(event.target.value)}
            required={field.required}
          />
        );
    }
  })();
  return (
    <div className="field">
      <label htmlFor={id}>
        {field.label} <span className="muted mono small">{field.kind}</span>
      </label>
      {widget}
      {field.description !== null && <div className="field-help">{field.description}</div>}
      {error !== undefined && <div className="field-error">{error}</div>}
    </div>
  );
}
