import { createContext, useContext, useMemo } from 'react';
import type { ApiClient, Me } from './api.js';
import { useI18n, type UiLanguage } from './i18n.js';
import type { Names } from './words.js';

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

/** Agent and team names from /me, so no page shows an id where a name is known. */
export function namesFrom(me: Me, language: UiLanguage): Names {
  return {
    agent: (id) => me.agents.find((agent) => agent.agentId === id)?.name ?? (id === '' ? '' : id),
    team: (id) => me.teams.find((team) => team.id === id)?.name[language] ?? id,
  };
}

/** The signed-in console's names for agents and teams, in the UI language. */
export function useNames(): Names {
  const { me } = useSession();
  const { language } = useI18n();
  return useMemo(() => namesFrom(me, language), [me, language]);
}

export const hasRole = (me: Me, ...roles: string[]) => roles.some((role) => me.roles.includes(role));
