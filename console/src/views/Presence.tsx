import { useCallback, useEffect, useRef, useState } from 'react';
import type { PresenceResponse } from '../../../shared/contract/agent-api.js';
import { useSession } from '../context.js';
import { useI18n } from '../i18n.js';

/** How often the ticket page says "still here" (the server keeps an entry 30 s). */
const BEAT_MS = 10_000;

/**
 * The ticket page's presence heartbeat: tells the desk this agent is viewing or replying, and
 * returns who else is. `refresh` beats at once and answers the fresh view (used right before
 * sending, to warn about a colleague's newer reply).
 */
export function usePresence(ticketNo: string, replying: boolean): { view: PresenceResponse | undefined; refresh: () => Promise<PresenceResponse | undefined> } {
  const { api } = useSession();
  const [view, setView] = useState<PresenceResponse>();
  const activity = useRef<'viewing' | 'replying'>('viewing');
  activity.current = replying ? 'replying' : 'viewing';

  const refresh = useCallback(async () => {
    try {
      const fresh = await api.request<PresenceResponse>('POST', `/tickets/${encodeURIComponent(ticketNo)}/presence`, { activity: activity.current });
      setView(fresh);
      return fresh;
    } catch {
      // Presence is a courtesy: a failed beat never blocks the page.
      return undefined;
    }
  }, [api, ticketNo]);

  useEffect(() => {
    void refresh();
    const timer = window.setInterval(() => {
      if (document.visibilityState === 'visible') void refresh();
    }, BEAT_MS);
    return () => window.clearInterval(timer);
  }, [refresh]);
  // Starting or stopping a reply is news for colleagues at once.
  useEffect(() => {
    void refresh();
  }, [replying, refresh]);

  return { view, refresh };
}

/** "Bob Li is replying · Carol Zhang is viewing", live. */
export function PresenceBanner(props: { view: PresenceResponse | undefined }) {
  const { language } = useI18n();
  const others = props.view?.others ?? [];
  if (others.length === 0) return null;
  const en = language === 'en';
  const replying = others.some((other) => other.activity === 'replying');
  return (
    <p role="status" className={`presence ${replying ? 'replying' : ''}`} data-presence>
      {others
        .map((other) => (en ? `${other.name} is ${other.activity === 'replying' ? 'replying' : 'viewing this ticket'}` : `${other.name}${other.activity === 'replying' ? '正在回复' : '正在查看此工单'}`))
        .join(en ? ' · ' : '；')}
    </p>
  );
}
