import { createContext, useContext } from 'react';
import type { ApiClient, Me } from './api.js';

export interface Session {
  api: ApiClient;
  me: Me;
  notify: (text: string, kind?: 'ok' | 'error') => void;
}

export const SessionContext = createContext<Session | undefined>(undefined);

export function useSession(): Session {
  const session = useContext(SessionContext);
  if (!session) throw new Error('useSession outside a signed-in console');
  return session;
}

export const hasRole = (me: Me, ...roles: string[]) => roles.some((role) => me.roles.includes(role));
