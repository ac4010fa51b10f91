import { useState } from 'react';
import type { ExportFormat } from '../../shared/types.ts';
import { errorMessage } from '../platform/index.ts';

type ExportState = { kind: 'idle' } | { kind: 'running'; rows: number } | { kind: 'done'; rows: number; file: string } | { kind: 'failed'; message: string };

/**
 * Downloads every entry matching the current filters. The server streams it; the count of
 * rows received so far is the progress (the total is not known until the end).
 */
export function ExportButton({ run }: { run: (format: ExportFormat, onProgress: (rows: number) => void) => Promise<{ rows: number; file: string }> }) {
  const [format, setFormat] = useState<ExportFormat>('csv');
  const [state, setState] = useState<ExportState>({ kind: 'idle' });
  const start = async () => {
    setState({ kind: 'running', rows: 0 });
    try {
      const result = await run(format, (rows) => setState({ kind: 'running', rows }));
      setState({ kind: 'done', ...result });
    } catch (err) {
      setState({ kind: 'failed', message: errorMessage(err) });
    }
  };
  return (
    <span className="export">
      <select aria-label="Export format" value={format} onChange={(e) => setFormat(e.target.value as ExportFormat)} disabled={state.kind === 'running'}>
        <option value="csv">CSV</option>
        <option value="ndjson">NDJSON</option>
      </select>
      <button type="button" onClick={() => void start()} disabled={state.kind === 'running'}>
        Export
      </button>
      <span className="export-status" role="status" data-testid="export-status">
        {state.kind === 'running' ? `Exporting… ${state.rows.toLocaleString()} rows` : null}
        {state.kind === 'done' ? `Exported ${state.rows.toLocaleString()} rows (${state.file})` : null}
        {state.kind === 'failed' ? `Export failed: ${state.message}` : null}
      </span>
    </span>
  );
}
