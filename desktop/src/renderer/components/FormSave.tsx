import { useState, type ReactNode } from 'react';
import { errorMessage } from '../platform/index.ts';
import { ErrorLine } from './ErrorLine.tsx';

/**
 * The state of a form saved with a button: what went wrong, what was saved, whether a save is
 * running. `save` runs one request and says in words what it changed, or why not.
 */
export function useFormSave() {
  const [error, setError] = useState<string | null>(null);
  const [status, setStatus] = useState('');
  const [saving, setSaving] = useState(false);
  const save = async <T,>(request: () => Promise<T>, done: (result: T) => string) => {
    setError(null);
    setStatus('');
    setSaving(true);
    try {
      setStatus(done(await request()));
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setSaving(false);
    }
  };
  /** A refusal found before sending (the form's own check). */
  const refuse = (message: string) => {
    setStatus('');
    setError(message);
  };
  return { error, status, saving, save, refuse, setError, clearStatus: () => setStatus('') };
}

/** A form's last lines: why it was not saved (an alert), what was (announced), and its buttons. */
export function FormFooter({ error, status, children }: { error: string | null; status: string; children: ReactNode }) {
  return (
    <>
      <ErrorLine error={error} />
      <p role="status" className="subtle">
        {status}
      </p>
      <div className="actions">{children}</div>
    </>
  );
}
