import type { CustomerHistory } from '../api.js';
import { useSession } from '../context.js';
import { usePolling } from '../hooks.js';
import { label, useI18n } from '../i18n.js';
import { Link } from '../Link.js';

/** Beside every ticket: the customer's other tickets, VIP status and organisation. */
export function CustomerHistoryPanel(props: { ticketNo: string }) {
  const { api } = useSession();
  const { language } = useI18n();
  const polled = usePolling<CustomerHistory>(() => api.history(props.ticketNo), `history:${props.ticketNo}`, 60_000);
  const en = language === 'en';
  const history = polled.data;
  return (
    <section aria-labelledby="history-title" className="card history">
      <h2 id="history-title">{en ? 'Customer history' : '客户历史'}</h2>
      {!history && <p className="muted">{polled.error ? (en ? 'Not available.' : '暂不可用。') : en ? 'Loading…' : '加载中…'}</p>}
      {history && (
        <>
          <p>
            {history.vip && <span className="badge vip">VIP</span>} {history.organisation ? <span>{en ? 'Organisation' : '组织'}: {history.organisation}</span> : <span className="muted">{en ? 'Private customer' : '个人客户'}</span>}
          </p>
          {history.tickets.length === 0 ? (
            <p className="muted">{en ? 'No other tickets.' : '没有其他工单。'}</p>
          ) : (
            <ul className="history-list">
              {history.tickets.map((other) => (
                <li key={other.ticketNo}>
                  {other.visible ? <Link to={`/tickets/${other.ticketNo}`}>{other.ticketNo}</Link> : <span>{other.ticketNo}</span>} · {label(language, other.status)} · <time dateTime={other.createdAt}>{new Date(other.createdAt).toLocaleDateString(en ? 'en-GB' : 'zh-CN')}</time>
                  {other.visible && other.subject ? <span className="subject"> · {other.subject}</span> : null}
                </li>
              ))}
            </ul>
          )}
          {history.more && <p className="muted small">{en ? 'More tickets exist: search by the contact.' : '还有更多工单：请按联系方式搜索。'}</p>}
        </>
      )}
    </section>
  );
}
