import type { UnreadMarkView } from '../api.js';
import { useSession } from '../context.js';
import { usePolling } from '../hooks.js';
import { useI18n, wordFor } from '../i18n.js';

/** The signed-in agent's unread markers by ticket (GET /api/v1/me/unread), refreshed with the queue. */
export function useUnread(everyMs = 15_000): Map<string, UnreadMarkView> {
  const { api, me } = useSession();
  const polled = usePolling(() => api.myUnread(), `unread:${me.agentId}`, everyMs);
  return new Map((polled.data ?? []).map((mark) => [mark.ticketNo, mark]));
}

/** A dot before a ticket that changed since the agent last opened it, saying what changed. */
export function UnreadDot(props: { mark: UnreadMarkView | undefined }) {
  const { t } = useI18n();
  if (!props.mark) return null;
  const what = props.mark.reasons.map((reason) => wordFor(t, `unread-${reason}`)).join(', ');
  const text = `${t.unread}: ${what}`;
  return (
    <span className="unread-dot" data-unread={props.mark.reasons.join(' ')} title={text} aria-label={text} role="img">
      ●{' '}
    </span>
  );
}

/** The number of unread tickets, beside "My queue" in the menu. */
export function UnreadCount() {
  const { t } = useI18n();
  const unread = useUnread(30_000);
  if (unread.size === 0) return null;
  return <span className="unread-count" aria-label={`${unread.size} ${t.unreadCount}`}> ({unread.size})</span>;
}
