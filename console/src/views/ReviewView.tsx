import { useState } from 'react';
import type { DeadLetterList, ReviewDetail, ReviewPage, ReviewResult } from '../../../shared/contract/agent-api.js';
import { hasRole, useSession } from '../context.js';
import { usePolling } from '../hooks.js';
import { useI18n, type UiLanguage } from '../i18n.js';
import { Link } from '../Link.js';
import { navigate } from '../router.js';
import { errorText, formatWhen } from '../words.js';
import { ColumnHeads, ListPage, When } from './Page.js';

/** Why mail was held, in both languages (HOLD_REASONS in shared/domain/ticket.ts). */
const REASONS: Record<string, Record<UiLanguage, string>> = {
  'unverified-sender': { en: 'Sender not verified', 'zh-CN': '发件人未验证' },
  'automatic-stranger': { en: 'Automatic mail, no ticket', 'zh-CN': '自动邮件（无对应工单）' },
  'rate-limited': { en: 'Over the sending limit', 'zh-CN': '超出发信频率' },
  unparsed: { en: 'Could not be read', 'zh-CN': '无法解析' },
  'own-domain': { en: 'From our own domain', 'zh-CN': '来自本域地址' },
  quarantined: { en: 'Spam or virus', 'zh-CN': '垃圾邮件或病毒' },
  'too-large': { en: 'Too large', 'zh-CN': '邮件过大' },
  'no-sender': { en: 'No sender address', 'zh-CN': '无发件地址' },
};
const OUTCOMES: Record<string, Record<UiLanguage, string>> = {
  accepted: { en: 'Accepted into', 'zh-CN': '已并入' },
  opened: { en: 'Opened as a ticket', 'zh-CN': '已建为工单' },
  discarded: { en: 'Discarded', 'zh-CN': '已丢弃' },
};

const reasonText = (reason: string | undefined, language: UiLanguage) => (reason ? (REASONS[reason]?.[language] ?? reason) : '—');

/**
 * The review queue: mail held instead of answered, grouped by why it was held. An agent reads it
 * (the raw source is shown as text: React escapes it, nothing of it is ever rendered as HTML) and
 * accepts it into the ticket it claims, opens it as a ticket, or discards it (kept for audit).
 * Admins also see the dead letters here and can replay them.
 */
export function ReviewView(props: { selected?: string }) {
  const { api, me } = useSession();
  const { language } = useI18n();
  const en = language === 'en';
  const [state, setState] = useState<'active' | 'done'>('active');
  const [reason, setReason] = useState('');
  const polled = usePolling(() => api.request<ReviewPage>('GET', `/review?${new URLSearchParams({ state, limit: '100', ...(reason ? { reason } : {}) })}`), `review:${state}:${reason}`);
  const items = polled.data?.items ?? [];
  const counts = new Map<string, number>();
  for (const item of items) counts.set(item.holdReason ?? '', (counts.get(item.holdReason ?? '') ?? 0) + 1);

  return (
    <ListPage
      name="review"
      title={en ? 'Held mail' : '待审邮件'}
      polled={polled}
      count={items.length}
      emptyText={en ? 'No held mail.' : '没有待审邮件。'}
      above={
      <div className="filters" role="group" aria-label={en ? 'Filter' : '筛选'}>
        <label htmlFor="review-state">{en ? 'Show' : '显示'}</label>
        <select id="review-state" value={state} onChange={(event) => setState(event.target.value === 'done' ? 'done' : 'active')}>
          <option value="active">{en ? 'Waiting for a decision' : '待处理'}</option>
          <option value="done">{en ? 'Decided (kept for audit)' : '已处理（留档）'}</option>
        </select>
        <label htmlFor="review-reason">{en ? 'Why held' : '暂扣原因'}</label>
        <select id="review-reason" value={reason} onChange={(event) => setReason(event.target.value)}>
          <option value="">{en ? 'Any reason' : '全部原因'}</option>
          {Object.keys(REASONS).map((key) => <option key={key} value={key}>{reasonText(key, language)}{!reason && counts.get(key) ? ` (${counts.get(key)})` : ''}</option>)}
        </select>
      </div>
      }
    >
      {items.length > 0 && (
        <table className="queue review-list">
          <caption className="visually-hidden">{en ? 'Held mail' : '待审邮件'}</caption>
          <ColumnHeads
            columns={[
              en ? 'Mail' : '邮件',
              en ? 'Why held' : '暂扣原因',
              en ? 'From' : '发件人',
              en ? 'Subject' : '主题',
              en ? 'Claims ticket' : '声称所属工单',
              en ? 'Received' : '收到时间',
              state === 'done' && en ? 'Decision' : '处理结果',
            ]}
          />
          <tbody>
            {items.map((item) => (
              <tr key={item.ticketNo} data-held={item.ticketNo} aria-current={props.selected === item.ticketNo ? 'true' : undefined}>
                <td data-label={en ? 'Mail' : '邮件'}><Link to={`/review/${item.ticketNo}`}>{item.ticketNo}</Link></td>
                <td data-label={en ? 'Why held' : '暂扣原因'}>{reasonText(item.holdReason, language)}</td>
                <td data-label={en ? 'From' : '发件人'}>{item.from || '—'}</td>
                <td data-label={en ? 'Subject' : '主题'}>{item.subject}</td>
                <td data-label={en ? 'Claims ticket' : '声称所属工单'}>{item.claimsTicketNo ?? '—'}</td>
                <td data-label={en ? 'Received' : '收到时间'}><When at={item.receivedAt} /></td>
                {state === 'done' && <td data-label={en ? 'Decision' : '处理结果'}>{item.review ? `${OUTCOMES[item.review.outcome]?.[language] ?? item.review.outcome}${item.review.intoTicketNo ? ` ${item.review.intoTicketNo}` : ''} · ${item.review.by}` : '—'}</td>}
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {props.selected && <HeldMail key={props.selected} ticketNo={props.selected} onDecided={polled.refresh} />}
      {hasRole(me, 'admin') && <DeadLetters />}
    </ListPage>
  );
}

function HeldMail(props: { ticketNo: string; onDecided: () => Promise<void> }) {
  const { api, notify } = useSession();
  const { language } = useI18n();
  const en = language === 'en';
  const polled = usePolling(() => api.request<ReviewDetail>('GET', `/review/${encodeURIComponent(props.ticketNo)}`), `held:${props.ticketNo}`, 60_000);
  const [discardReason, setDiscardReason] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  const detail = polled.data;

  const decide = async (action: 'accept' | 'open' | 'discard') => {
    setBusy(true);
    setError(undefined);
    try {
      const body = action === 'discard' && discardReason.trim() ? { reason: discardReason.trim() } : {};
      const result = await api.request<ReviewResult>('POST', `/review/${encodeURIComponent(props.ticketNo)}/${action}`, body);
      notify(`${props.ticketNo}: ${OUTCOMES[result.outcome]?.[language] ?? result.outcome}${result.intoTicketNo ? ` ${result.intoTicketNo}` : ''}`);
      await props.onDecided();
      if (result.outcome === 'accepted' && result.intoTicketNo) navigate(`/tickets/${result.intoTicketNo}`);
      else if (result.outcome === 'opened') navigate(`/tickets/${result.ticketNo}`);
      else navigate('/review');
    } catch (cause) {
      setError(errorText(cause, language));
    } finally {
      setBusy(false);
    }
  };

  if (polled.error !== undefined) return <p role="alert" className="error">{errorText(polled.error, language)}</p>;
  if (!detail) return <p>{en ? 'Loading…' : '加载中…'}</p>;
  const { item } = detail;
  const decided = item.review !== undefined;
  return (
    <article className="card held-mail" aria-labelledby="held-title">
      <h2 id="held-title">{item.ticketNo} · {reasonText(item.holdReason, language)}</h2>
      <dl className="facts">
        <dt>{en ? 'From' : '发件人'}</dt><dd>{item.from || '—'}</dd>
        <dt>{en ? 'Subject' : '主题'}</dt><dd>{item.subject}</dd>
        {detail.claimed && (
          <>
            <dt>{en ? 'Claims ticket' : '声称所属工单'}</dt>
            <dd>
              <Link to={`/tickets/${detail.claimed.ticketNo}`}>{detail.claimed.ticketNo}</Link> · {detail.claimed.subject}
              {!detail.claimed.sameCustomer && <strong className="warning"> · {en ? 'a different address than that ticket\'s customer' : '与该工单客户的地址不同'}</strong>}
            </dd>
          </>
        )}
      </dl>
      {detail.messages.map((message) => (
        <section key={message.messageId} className="held-message">
          <h3>{en ? 'Message' : '邮件正文'}</h3>
          <pre className="mail-text">{message.text}</pre>
          {message.attachments.length > 0 && <p className="muted small">{en ? 'Attachments' : '附件'}: {message.attachments.map((attachment) => attachment.name).join(', ')}</p>}
        </section>
      ))}
      {detail.raw && (
        <details>
          <summary>{en ? `Raw source (${detail.raw.bytes} bytes${detail.raw.truncated ? ', start shown' : ''})` : `原始邮件（${detail.raw.bytes} 字节${detail.raw.truncated ? '，仅显示开头' : ''}）`}</summary>
          <pre className="raw-mail" data-raw>{detail.raw.text}</pre>
        </details>
      )}
      {!decided && (
        <div className="actions" role="group" aria-label={en ? 'Decision' : '处理'}>
          {item.claimsTicketNo && (
            <button type="button" disabled={busy} onClick={() => void decide('accept')}>
              {en ? `Accept into ${item.claimsTicketNo} as the customer's reply` : `作为客户回复并入 ${item.claimsTicketNo}`}
            </button>
          )}
          <button type="button" disabled={busy} onClick={() => void decide('open')}>{en ? 'Open as a new ticket' : '建为新工单'}</button>
          <label htmlFor="discard-reason">{en ? 'Reason for discarding (optional)' : '丢弃原因（可选）'}</label>
          <input id="discard-reason" value={discardReason} onChange={(event) => setDiscardReason(event.target.value)} maxLength={500} />
          <button type="button" className="danger" disabled={busy} onClick={() => void decide('discard')}>{en ? 'Discard (kept for audit)' : '丢弃（留档）'}</button>
        </div>
      )}
      {item.review && (
        <p>{OUTCOMES[item.review.outcome]?.[language]}{item.review.intoTicketNo ? ` ${item.review.intoTicketNo}` : ''} · {item.review.by} · {formatWhen(item.review.at, language)}{item.review.reason ? ` · ${item.review.reason}` : ''}</p>
      )}
      {error && <p role="alert" className="error">{error}</p>}
    </article>
  );
}

function DeadLetters() {
  const { api, notify } = useSession();
  const { language } = useI18n();
  const en = language === 'en';
  const polled = usePolling(() => api.request<DeadLetterList>('GET', '/dead-letters'), 'dead-letters', 30_000);
  const [error, setError] = useState<string>();
  const replay = async (queue: string) => {
    setError(undefined);
    try {
      const result = await api.request<{ queue: string; status: string; moved?: number }>('POST', `/dead-letters/${encodeURIComponent(queue)}/replay`, {});
      notify(en ? `${queue}: ${result.moved ?? 0} replayed` : `${queue}：已重放 ${result.moved ?? 0} 条`);
      await polled.refresh();
    } catch (cause) {
      setError(errorText(cause, language));
    }
  };
  const list = polled.data;
  return (
    <section className="card" aria-labelledby="dead-title">
      <h2 id="dead-title">{en ? 'Dead letters' : '死信队列'}</h2>
      {list && !list.replayable && <p className="muted">{en ? 'Replay them with: npm run redrive -- <DLQ ARN> --aws' : '请用 npm run redrive -- <DLQ ARN> --aws 重放'}</p>}
      {list?.queues.map((queue) => (
        <div key={queue.queue} data-dead-queue={queue.queue}>
          <h3>{queue.queue} · <span data-count>{queue.count}</span></h3>
          {queue.letters && queue.letters.length > 0 && (
            <ul className="plain small">
              {queue.letters.map((letter) => <li key={letter.messageId}>{formatWhen(letter.at, language)} · {letter.reason} · {en ? `${letter.receiveCount} tries` : `尝试 ${letter.receiveCount} 次`}</li>)}
            </ul>
          )}
          <button type="button" disabled={queue.count === 0} onClick={() => void replay(queue.queue)}>{en ? `Replay ${queue.queue}` : `重放 ${queue.queue}`}</button>
        </div>
      ))}
      {error && <p role="alert" className="error">{error}</p>}
    </section>
  );
}

