import { useCallback, useEffect, useRef, useState } from 'react';
import { deskNow, onDeskTimeChange } from './deskclock.js';

export interface Polled<T> {
  data: T | undefined;
  error: unknown;
  loading: boolean;
  updatedAt: Date | undefined;
  refresh: () => Promise<void>;
}

/** Loads now and again every `everyMs` while the tab is visible: live enough for a queue without sockets. */
export function usePolling<T>(load: () => Promise<T>, key: string, everyMs = 10_000): Polled<T> {
  const [state, setState] = useState<{ data: T | undefined; error: unknown; loading: boolean; updatedAt: Date | undefined }>({ data: undefined, error: undefined, loading: true, updatedAt: undefined });
  const loadRef = useRef(load);
  loadRef.current = load;
  const generation = useRef(0);

  const refresh = useCallback(async () => {
    const mine = ++generation.current;
    try {
      const data = await loadRef.current();
      if (mine === generation.current) setState({ data, error: undefined, loading: false, updatedAt: deskNow() });
    } catch (error) {
      if (mine === generation.current) setState((previous) => ({ ...previous, error, loading: false }));
    }
  }, []);

  useEffect(() => {
    setState({ data: undefined, error: undefined, loading: true, updatedAt: undefined });
    void refresh();
    const timer = window.setInterval(() => {
      if (document.visibilityState === 'visible') void refresh();
    }, everyMs);
    return () => {
      window.clearInterval(timer);
      generation.current += 1;
    };
  }, [key, everyMs, refresh]);

  return { ...state, refresh };
}

/** The desk's clock (see deskclock.ts), ticking every `everyMs` so countdowns move between polls. */
export function useNow(everyMs = 15_000): Date {
  const [now, setNow] = useState(() => deskNow());
  useEffect(() => {
    const unsubscribe = onDeskTimeChange(() => setNow(deskNow()));
    const timer = window.setInterval(() => setNow(deskNow()), everyMs);
    return () => {
      window.clearInterval(timer);
      unsubscribe();
    };
  }, [everyMs]);
  return now;
}

function typingInto(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  return target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName);
}

/** Single-key shortcuts, ignored while typing in a field or with a modifier held. */
export function useShortcuts(bindings: Record<string, () => void>): void {
  const ref = useRef(bindings);
  ref.current = bindings;
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (event.ctrlKey || event.metaKey || event.altKey || typingInto(event.target)) return;
      const action = ref.current[event.key];
      if (action) {
        event.preventDefault();
        action();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);
}
