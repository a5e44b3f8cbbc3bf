import { useEffect, useState } from 'react';
import { useSession } from '../context.js';
import { usePolling } from '../hooks.js';
import { useI18n } from '../i18n.js';
import { Link } from '../Link.js';
import { Problem } from './Page.js';

/** The weekly reports: the list of ISO weeks, and one report as the desk renders it. */
export function ReportsView(props: { selected?: string }) {
  const { api } = useSession();
  const { t } = useI18n();
  const list = usePolling(() => api.reports(), 'reports', 60_000);
  return (
    <section aria-labelledby="reports-title" className="split">
      <div>
        <h1 id="reports-title">{t.reports}</h1>
        {list.error !== undefined && <Problem error={list.error} />}
        {list.loading && <p>{t.loading}</p>}
        {!list.loading && list.error === undefined && (list.data ?? []).length === 0 && <p data-empty>{t.emptyReports}</p>}
        <ul className="plain">
          {(list.data ?? []).map((week) => (
            <li key={week}><Link to={`/reports/${week}`} current={week === props.selected}>{week}</Link></li>
          ))}
        </ul>
      </div>
      {props.selected && <ReportDetail key={props.selected} week={props.selected} />}
    </section>
  );
}

function ReportDetail(props: { week: string }) {
  const { api } = useSession();
  const { t } = useI18n();
  const [html, setHtml] = useState<string>();
  const [error, setError] = useState<unknown>();
  useEffect(() => {
    api.reportHtml(props.week).then(setHtml, setError);
  }, [api, props.week]);
  if (error !== undefined) return <Problem error={error} />;
  if (html === undefined) return <p>{t.loading}</p>;
  // The report is self-contained, escaped HTML; the empty sandbox still forbids scripts, forms and same-origin access.
  return <iframe className="report" title={`${t.report} ${props.week}`} sandbox="" srcDoc={html} />;
}
