import { useEffect, useState } from 'react';
import { useSession } from '../context.js';
import { usePolling } from '../hooks.js';
import { useI18n } from '../i18n.js';
import { Link } from '../Link.js';

/** The weekly reports: a list, and one report's figures shown as text tables (never as HTML). */
export function ReportsView(props: { selected?: string }) {
  const { api } = useSession();
  const { t } = useI18n();
  const list = usePolling(() => api.reports(), 'reports', 60_000);
  return (
    <section aria-labelledby="reports-title" className="split">
      <div>
        <h1 id="reports-title">{t.reports}</h1>
        {list.error !== undefined && <p role="alert" className="error">{t.actionFailed}: {String((list.error as Error).message)}</p>}
        {!list.loading && (list.data ?? []).length === 0 && <p>{t.empty}</p>}
        <ul className="plain">
          {(list.data ?? []).map((report) => (
            <li key={report.id}><Link to={`/reports/${report.id}`} current={report.id === props.selected}>{report.week ?? report.id}</Link> {report.from && <span className="muted small">{report.from} – {report.to}</span>}</li>
          ))}
        </ul>
      </div>
      {props.selected && <ReportDetail key={props.selected} id={props.selected} />}
    </section>
  );
}

function Value(props: { value: unknown; depth: number }) {
  const { value, depth } = props;
  if (value === null || value === undefined) return <>—</>;
  if (typeof value !== 'object') return <>{String(value)}</>;
  if (depth > 3) return <code>{JSON.stringify(value)}</code>;
  if (Array.isArray(value)) {
    const rows = value as unknown[];
    const columns = rows.every((row) => typeof row === 'object' && row !== null && !Array.isArray(row)) ? [...new Set(rows.flatMap((row) => Object.keys(row as object)))] : undefined;
    if (columns && rows.length > 0) {
      return (
        <table className="report">
          <thead><tr>{columns.map((column) => <th key={column} scope="col">{column}</th>)}</tr></thead>
          <tbody>{rows.map((row, index) => <tr key={index}>{columns.map((column) => <td key={column}><Value value={(row as Record<string, unknown>)[column]} depth={depth + 1} /></td>)}</tr>)}</tbody>
        </table>
      );
    }
    return <>{rows.map((row) => String(typeof row === 'object' ? JSON.stringify(row) : row)).join(', ')}</>;
  }
  return (
    <dl className="facts narrow">
      {Object.entries(value as Record<string, unknown>).map(([key, inner]) => <div key={key}><dt>{key}</dt><dd><Value value={inner} depth={depth + 1} /></dd></div>)}
    </dl>
  );
}

function ReportDetail(props: { id: string }) {
  const { api } = useSession();
  const { t } = useI18n();
  const [report, setReport] = useState<Record<string, unknown>>();
  const [error, setError] = useState<string>();
  useEffect(() => {
    api.report(props.id).then(setReport, (cause: unknown) => setError(String((cause as Error).message)));
  }, [api, props.id]);
  if (error) return <p role="alert" className="error">{error}</p>;
  if (!report) return <p>{t.loading}</p>;
  return (
    <article className="card" aria-labelledby="report-title">
      <h2 id="report-title">{t.report} {props.id}</h2>
      {Object.entries(report).map(([section, value]) => (
        <section key={section}>
          <h3>{section}</h3>
          <Value value={value} depth={0} />
        </section>
      ))}
    </article>
  );
}
