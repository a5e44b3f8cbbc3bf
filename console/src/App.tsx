import { useCallback, useEffect, useMemo, useState } from 'react';
import { ApiClient, type Me } from './api.js';
import { completeHostedSignIn, currentToken, hostedSignOut, onSessionChange, signOut, storedSession } from './auth.js';
import type { ConsoleConfig } from './config.js';
import { loadConsoleConfig } from './load-config.js';
import { hasRole, namesFrom, SessionContext } from './context.js';
import { useShortcuts } from './hooks.js';
import { DICTIONARIES, I18nContext, initialLanguage, type UiLanguage } from './i18n.js';
import { Link } from './Link.js';
import { navigate, useRoute } from './router.js';
import { HelpDialog } from './views/HelpDialog.js';
import { QaView } from './views/QaView.js';
import { QueueView, type QueueKind } from './views/QueueView.js';
import { ReportsView } from './views/ReportsView.js';
import { ReviewView } from './views/ReviewView.js';
import { NewTicketView } from './views/NewTicketView.js';
import { SearchView } from './views/SearchView.js';
import { SignInView } from './views/SignInView.js';
import { TasksView } from './views/TasksView.js';
import { UnreadCount } from './views/Unread.js';
import { FeatureRequestsView } from './views/FeatureRequestsView.js';
import { EscalationRegisterView } from './views/EscalationRegisterView.js';
import { SuppressionsView } from './views/SuppressionsView.js';
import { AgentsView } from './views/AgentsView.js';
import { SettingsView } from './views/SettingsView.js';
import { TemplatesView } from './views/TemplatesView.js';
import { MacrosView } from './views/MacrosView.js';
import { TicketView } from './views/TicketView.js';
import { PageBoundary } from './views/Page.js';

interface Toast {
  id: number;
  text: string;
  kind: 'ok' | 'error';
}

export function App() {
  const [language, setLanguageState] = useState<UiLanguage>(initialLanguage);
  const [config, setConfig] = useState<ConsoleConfig>();
  const [fatal, setFatal] = useState<string>();
  // Whether this tab holds a session; the token itself is read (and refreshed) per request.
  const [signedIn, setSignedIn] = useState<boolean>(() => storedSession() !== undefined);
  const [me, setMe] = useState<Me>();
  const [toasts, setToasts] = useState<Toast[]>([]);
  const [helpOpen, setHelpOpen] = useState(false);
  const route = useRoute();
  const t = DICTIONARIES[language];

  const setLanguage = useCallback((next: UiLanguage) => {
    localStorage.setItem('ticketline.lang', next);
    setLanguageState(next);
  }, []);
  useEffect(() => {
    document.documentElement.lang = language;
    document.title = t.appName;
  }, [language, t.appName]);

  useEffect(() => {
    loadConsoleConfig()
      .then(async (loaded) => {
        if (loaded.auth !== 'local') {
          const fresh = await completeHostedSignIn(loaded.auth);
          if (fresh) setSignedIn(true);
        }
        setConfig(loaded);
      })
      .catch((error: unknown) => setFatal(String((error as Error).message ?? error)));
  }, []);

  const endSession = useCallback(() => {
    signOut();
    setSignedIn(false);
    setMe(undefined);
  }, []);
  // Another tab signing in or out changes this one too.
  useEffect(
    () =>
      onSessionChange((session) => {
        setSignedIn(session !== undefined);
        if (!session) setMe(undefined);
      }),
    [],
  );
  const api = useMemo(() => (config ? new ApiClient(config.apiBaseUrl, () => currentToken(config.auth), endSession) : undefined), [config, endSession]);

  useEffect(() => {
    if (!api || !signedIn) return;
    api.me().then(setMe, (error: unknown) => setFatal(`${t.actionFailed}: ${(error as Error).message}`));
  }, [api, signedIn, t.actionFailed]);

  const notify = useCallback((text: string, kind: 'ok' | 'error' = 'ok') => {
    const id = Date.now() + Math.random();
    setToasts((list) => [...list.slice(-3), { id, text, kind }]);
    window.setTimeout(() => setToasts((list) => list.filter((toast) => toast.id !== id)), 6000);
  }, []);

  useShortcuts({ '?': () => setHelpOpen((open) => !open), '/': () => navigate('/search') });

  const i18n = { language, t, setLanguage };
  const languageSwitch = (
    <button type="button" className="link" lang={language === 'en' ? 'zh-CN' : 'en'} onClick={() => setLanguage(language === 'en' ? 'zh-CN' : 'en')}>
      {t.switchLanguage}
    </button>
  );

  let content;
  if (fatal) content = <main id="main"><p role="alert" className="error">{fatal}</p></main>;
  else if (!config) content = <main id="main"><p>{t.loading}</p></main>;
  else if (!signedIn) content = <SignInView config={config} onSignedIn={() => setSignedIn(true)} languageSwitch={languageSwitch} />;
  else if (!me || !api) content = <main id="main"><p>{t.loading}</p></main>;
  else {
    // What each role may do is the API's decision (shared/domain/authorization.ts); the menu only mirrors it.
    const works = hasRole(me, 'agent', 'supervisor', 'admin');
    const nav: Array<{ to: string; text: string; show: boolean }> = [
      { to: '/', text: t.myQueue, show: works },
      { to: '/tasks', text: t.myTasks, show: works },
      { to: '/team', text: t.teamQueue, show: works },
      { to: '/confirmations', text: t.confirmations, show: works },
      { to: '/search', text: t.search, show: true },
      { to: '/new', text: t.logCall, show: works },
      { to: '/review', text: t.heldMail, show: works },
      { to: '/escalations', text: t.escalations, show: hasRole(me, 'supervisor', 'admin') },
      { to: '/register', text: t.register, show: hasRole(me, 'supervisor', 'admin') },
      { to: '/features', text: t.features, show: works },
      { to: '/templates', text: t.templates, show: hasRole(me, 'supervisor', 'admin') },
      { to: '/macros', text: t.macros, show: hasRole(me, 'supervisor', 'admin') },
      { to: '/qa', text: t.qa, show: hasRole(me, 'qa', 'admin') },
      { to: '/reports', text: t.reports, show: hasRole(me, 'supervisor', 'admin', 'qa') },
      { to: '/agents', text: t.agents, show: hasRole(me, 'admin') },
      { to: '/settings', text: t.settings, show: hasRole(me, 'admin') },
      { to: '/suppressions', text: t.suppressions, show: hasRole(me, 'admin') },
    ];
    const section = '/' + (route.split('/')[1] ?? '');
    content = (
      <SessionContext.Provider value={{ api, me, notify }}>
        <header className="top">
          <a className="skip" href="#main">{t.skip}</a>
          <span className="brand">{t.appName}</span>
          <nav aria-label={t.appName}>
            <ul>
              {nav.filter((item) => item.show).map((item) => (
                <li key={item.to}><Link to={item.to} current={section === item.to || (item.to === '/' && section === '/tickets')}>{item.text}{item.to === '/' && <UnreadCount />}</Link></li>
              ))}
            </ul>
          </nav>
          <span className="who">{me.name} · {namesFrom(me, language).team(me.team)}</span>
          {languageSwitch}
          <button type="button" className="link" onClick={() => setHelpOpen(true)} aria-keyshortcuts="?">{t.help}</button>
          <button type="button" className="link" onClick={() => {
            if (config.auth !== 'local') hostedSignOut(config.auth);
            endSession();
            navigate('/');
          }}>{t.signOut}</button>
        </header>
        <main id="main" tabIndex={-1}>
          <PageBoundary resetKey={route} text={{ failed: t.pageFailed, reload: t.reload }}>{renderRoute(route, works)}</PageBoundary>
        </main>
      </SessionContext.Provider>
    );
  }

  return (
    <I18nContext.Provider value={i18n}>
      {content}
      {helpOpen && <HelpDialog onClose={() => setHelpOpen(false)} />}
      <div className="toasts" role="status" aria-live="polite" aria-label={t.toasts}>
        {toasts.map((toast) => <p key={toast.id} className={`toast ${toast.kind}`}>{toast.text}</p>)}
      </div>
    </I18nContext.Provider>
  );
}

function renderRoute(route: string, works: boolean) {
  const parts = route.split('/').filter(Boolean).map(decodeSegment);
  const queues: Record<string, QueueKind> = { '': 'mine', team: 'team', confirmations: 'confirmations', escalations: 'escalations' };
  const head = parts[0] ?? '';
  // QA staff see no queues: their start page is the low-score list.
  if (!works && head in queues) return <QaView />;
  if (head in queues && parts.length <= 1) return <QueueView key={head} kind={queues[head]!} />;
  if (head === 'tickets' && parts[1]) return <TicketView key={parts[1]} ticketNo={parts[1]} />;
  if (head === 'templates') return <TemplatesView selected={parts[1]} />;
  if (head === 'macros') return <MacrosView />;
  if (head === 'search') return <SearchView />;
  if (head === 'tasks' && works) return <TasksView />;
  if (head === 'register') return <EscalationRegisterView />;
  if (head === 'features') return <FeatureRequestsView />;
  if (head === 'new' && works) return <NewTicketView />;
  if (head === 'review' && works) return <ReviewView selected={parts[1]} />;
  if (head === 'qa') return <QaView />;
  if (head === 'reports') return <ReportsView selected={parts[1]} />;
  if (head === 'suppressions') return <SuppressionsView />;
  if (head === 'agents') return <AgentsView />;
  if (head === 'settings') return <SettingsView />;
  return <QueueView kind="mine" />;
}

/** A path segment as typed; a malformed escape (`%E0%A4%A`) is kept as it is rather than crashing the console. */
function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}
