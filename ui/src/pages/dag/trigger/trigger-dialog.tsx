import { useMemo, useState } from 'react';
import { useDagDetails } from '../../../api/hooks/dags.ts';
import { useTriggerRun } from '../../../api/hooks/runs.ts';
import { navigate } from '../../../app/router.tsx';
import { Dialog } from '../../../components/dialog.tsx';
import { Loading } from '../../../components/empty-state.tsx';
import { useToaster } from '../../../components/toasts.tsx';
import { confFromForm, paramFields } from '../../../lib/param-fields.ts';
import { ParamInput } from './param-input.tsx';

/** Trigger a run: a form generated from the DAG's params, plus logical date, run id and note. */
export function TriggerDialog({ dagId, onClose }: { dagId: string; onClose: () => void }) {
  const details = useDagDetails(dagId);
  const trigger = useTriggerRun();
  const toaster = useToaster();
  const params = details.data?.graph.params;
  const fields = useMemo(() => paramFields(params ?? {}), [params]);
  const [values, setValues] = useState<Record<string, string>>({});
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [logicalDate, setLogicalDate] = useState('');
  const [runId, setRunId] = useState('');
  const [note, setNote] = useState('');

  const submit = (): void => {
    const result = confFromForm(fields, values, params ?? {});
    if (!result.ok) {
      setErrors(result.errors);
      return;
    }
    setErrors({});
    trigger.mutate(
      { dagId, conf: result.conf, logicalDate: logicalDate === '' ? null : new Date(logicalDate).toISOString(), runId: runId === '' ? null : runId, note: note === '' ? null : note },
      {
        onSuccess: (run) => {
          toaster.info('Run triggered', run.run_id);
          onClose();
          navigate(`/dags/${encodeURIComponent(dagId)}?run=${encodeURIComponent(run.run_id)}`);
        },
      },
    );
  };

  return (
    <Dialog title={`Trigger ${dagId}`} subtitle="Start a manual run now, with these params." onClose={onClose} onSubmit={submit} submitLabel="Trigger" busy={trigger.isPending} submitDisabled={details.isPending} wide>
      {details.isPending && <Loading label="Loading params…" />}
      {details.data !== undefined && (
        <>
          <section style={{ display: 'flex', flexDirection: 'column', gap: 12 }}>
            <h3>Params</h3>
            {fields.length === 0 && <div className="muted small">This DAG declares no params.</div>}
            {fields.map((field) => (
              <ParamInput key={field.name} field={field} value={values[field.name] ?? field.initial} error={errors[field.name]} onChange={(value) => setValues((all) => ({ ...all, [field.name]: value }))} />
            ))}
          </section>
          <details className="advanced">
            <summary>Advanced: logical date, run id, note</summary>
            <div style={{ display: 'grid', gridTemplateColumns: '1fr 1fr', gap: 12, marginTop: 10 }}>
              <div className="field">
                <label htmlFor="trigger-logical-date">Logical date</label>
                <input id="trigger-logical-date" type="datetime-local" className="input" value={logicalDate} onChange={(event) => setLogicalDate(event.target.value)} />
                <div className="field-help">Empty: now.</div>
              </div>
              <div className="field">
                <label htmlFor="trigger-run-id">Run id</label>
                <input id="trigger-run-id" className="input" value={runId} placeholder="manual__…" onChange={(event) => setRunId(event.target.value)} />
              </div>
              <div className="field" style={{ gridColumn: '1 / -1' }}>
                <label htmlFor="trigger-note">Note</label>
                <input id="trigger-note" className="input" value={note} onChange={(event) => setNote(event.target.value)} />
              </div>
            </div>
          </details>
        </>
      )}
    </Dialog>
  );
}
