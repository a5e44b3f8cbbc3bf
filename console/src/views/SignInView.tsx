import { useEffect, useState, type FormEvent, type ReactNode } from 'react';
import { localAgents, localSignIn, startHostedSignIn, type LocalAgent } from '../auth.js';
import type { ConsoleConfig } from '../config.js';
import { useI18n } from '../i18n.js';

/** Local desk: pick a configured agent. AWS: off to Cognito's hosted UI. */
export function SignInView(props: { config: ConsoleConfig; onSignedIn: () => void; languageSwitch: ReactNode }) {
  const { t } = useI18n();
  const { config } = props;
  const [agents, setAgents] = useState<LocalAgent[]>();
  const [agentId, setAgentId] = useState('');
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    if (config.auth !== 'local') return;
    localAgents(config.apiBaseUrl).then(
      (list) => {
        setAgents(list);
        setAgentId(list[0]?.id ?? '');
      },
      (cause: unknown) => setError(String((cause as Error).message)),
    );
  }, [config]);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      if (config.auth === 'local') {
        await localSignIn(config.apiBaseUrl, agentId);
        props.onSignedIn();
      }
      else await startHostedSignIn(config.auth);
    } catch (cause) {
      setError(String((cause as Error).message));
    } finally {
      setBusy(false);
    }
  };

  return (
    <main id="main" className="signin">
      <div className="card">
        <h1>{t.appName}</h1>
        <p>{props.languageSwitch}</p>
        <p>{t.signInIntro}</p>
        <form onSubmit={submit}>
          {config.auth === 'local' && (
            <>
              <label htmlFor="agent">{t.signInAs}</label>
              <select id="agent" value={agentId} onChange={(event) => setAgentId(event.target.value)} disabled={!agents}>
                {(agents ?? []).map((agent) => (
                  <option key={agent.id} value={agent.id}>{agent.name} ({agent.id} · {agent.team} · {agent.roles.join(', ')})</option>
                ))}
              </select>
            </>
          )}
          <button type="submit" disabled={busy || (config.auth === 'local' && !agentId)}>{config.auth === 'local' ? t.signIn : t.signInHosted}</button>
        </form>
        {error && <p role="alert" className="error">{error}</p>}
      </div>
    </main>
  );
}
