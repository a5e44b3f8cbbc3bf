import { useEffect, useState, type FormEvent } from 'react';
// The desk's mail texts, one per notice kind: the same list the API serves and validates.
import { AUDIENCES, NOTICE_AUDIENCE, NOTICE_KINDS, type Audience } from '../../../shared/domain/vocabulary.js';
import { TemplateChangedError, type TemplateRecord } from '../api.js';
import { useNames, useSession } from '../context.js';
import { useI18n, type UiLanguage } from '../i18n.js';
import { Link } from '../Link.js';
import { editorErrorText, errorText, formatWhen, noticeName } from '../words.js';

const LANGS = ['zh-CN', 'en'] as const;


const AUDIENCE_TITLES: Record<Audience, Record<UiLanguage, string>> = {
  customer: { en: 'To customers', 'zh-CN': '发给客户' },
  agent: { en: 'To the agent', 'zh-CN': '发给客服' },
  supervisors: { en: 'To supervisors', 'zh-CN': '发给主管' },
  qa: { en: 'To QA', 'zh-CN': '发给质检' },
};

/** Supervisors edit the desk's mail texts, listed by whom they go to; the API validates placeholders and refuses unknown ones. */
export function TemplatesView(props: { selected?: string }) {
  const { t, language } = useI18n();
  return (
    <section aria-labelledby="templates-title" className="split">
      <div>
        <h1 id="templates-title">{t.templates}</h1>
        {AUDIENCES.map((audience) => (
          <div key={audience}>
            <h2 className="small">{AUDIENCE_TITLES[audience][language]}</h2>
            <ul className="plain">
              {NOTICE_KINDS.filter((id) => NOTICE_AUDIENCE[id] === audience).map((id) => (
                <li key={id} data-template={id}>
                  <Link to={`/templates/${id}`} current={id === props.selected}>{capitalised(noticeName(id, language))}</Link>
                </li>
              ))}
            </ul>
          </div>
        ))}
      </div>
      {props.selected ? <TemplateEditor key={props.selected} id={props.selected} /> : <p className="muted">{language === 'en' ? 'Choose a text to read or edit it.' : '请选择要查看或修改的文本。'}</p>}
    </section>
  );
}

const capitalised = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);

const CONFLICT_WORDS: Record<UiLanguage, { conflict: (by: string, at?: string) => string; reload: string }> = {
  en: {
    conflict: (by, at) => `${by} saved this text meanwhile${at ? ` (${formatWhen(at, 'en')})` : ''}; nothing of yours was saved over it. Reload to see their version, then make your change again.`,
    reload: 'Reload',
  },
  'zh-CN': {
    conflict: (by, at) => `${by} 在此期间${at ? `（${formatWhen(at, 'zh-CN')}）` : ''}保存了这段文本，您的修改没有覆盖它。请重新加载查看对方的版本，再修改一次。`,
    reload: '重新加载',
  },
};

const BUILT_IN_WORDS: Record<UiLanguage, { title: string; use: string }> = {
  en: { title: 'Built-in text', use: 'Put the built-in text back (then save)' },
  'zh-CN': { title: '内置文本', use: '恢复内置文本（之后保存）' },
};

function TemplateEditor(props: { id: string }) {
  const { api, notify } = useSession();
  const { t, language } = useI18n();
  const names = useNames();
  const [template, setTemplate] = useState<TemplateRecord>();
  const [texts, setTexts] = useState<Record<string, { subject: string; body: string }>>({});
  const [error, setError] = useState<string>();
  // Someone saved this template since it was loaded: the version they saved, until the editor reloads.
  const [changed, setChanged] = useState<TemplateRecord>();

  const show = (loaded: TemplateRecord) => {
    setTemplate(loaded);
    setChanged(undefined);
    setTexts(Object.fromEntries(LANGS.map((lang) => [lang, { subject: loaded.texts[lang]?.subject ?? '', body: loaded.texts[lang]?.body ?? '' }])));
  };
  const load = () => api.template(props.id).then(show, (cause: unknown) => setError(errorText(cause, language)));

  useEffect(() => {
    void load();
  }, [api, props.id]);

  const save = async (event: FormEvent) => {
    event.preventDefault();
    if (!template) return;
    setError(undefined);
    try {
      // Each changed language over the version this editor read: never over someone's newer save.
      const saved = await api.saveTemplateTexts(template, Object.fromEntries(LANGS.flatMap((lang) => (texts[lang] ? [[lang, texts[lang]]] : []))));
      show(saved);
      notify(`${capitalised(noticeName(template.id, language))} · ${t.done}`);
    } catch (cause) {
      if (cause instanceof TemplateChangedError) setChanged(cause.latest);
      else setError(editorErrorText(cause, language));
    }
  };

  const builtIn = (lang: string) => template?.defaults?.[lang];

  if (!template) return <div>{error ? <p role="alert" className="error">{error}</p> : <p>{t.loading}</p>}</div>;
  return (
    <form onSubmit={save} className="card" aria-labelledby="editor-title" data-template-version={template.version}>
      <h2 id="editor-title">{t.editTemplate}: {capitalised(noticeName(template.id, language))} <code className="small muted">{template.id}</code> {template.overridden && <span className="badge">✎</span>}</h2>
      {template.description && <p className="muted">{template.description[language]}</p>}
      {template.placeholders && (
        <details>
          <summary>{t.placeholders}</summary>
          <ul className="plain small">
            {Object.entries(template.placeholders).map(([name, spec]) => <li key={name}><code>{`{{${name}}}`}</code> {spec.required ? '*' : ''} {spec.description?.[language]}</li>)}
          </ul>
        </details>
      )}
      {LANGS.map((lang) => (
        <fieldset key={lang} lang={lang}>
          <legend>{lang}</legend>
          <label htmlFor={`subject-${lang}`}>{t.subject}</label>
          <input id={`subject-${lang}`} value={texts[lang]?.subject ?? ''} onChange={(event) => setTexts((all) => ({ ...all, [lang]: { ...all[lang]!, subject: event.target.value } }))} />
          <label htmlFor={`body-${lang}`}>{t.bodyText}</label>
          <textarea id={`body-${lang}`} rows={10} value={texts[lang]?.body ?? ''} onChange={(event) => setTexts((all) => ({ ...all, [lang]: { ...all[lang]!, body: event.target.value } }))} />
          {builtIn(lang) && (texts[lang]?.subject !== builtIn(lang)?.subject || texts[lang]?.body !== builtIn(lang)?.body) && (
            // To undo an edit: the built-in text back in the fields, saved like any edit.
            <details data-built-in={lang}>
              <summary>{BUILT_IN_WORDS[language].title}</summary>
              <pre className="small">{builtIn(lang)!.subject}{'\n\n'}{builtIn(lang)!.body}</pre>
              <button type="button" onClick={() => setTexts((all) => ({ ...all, [lang]: { subject: builtIn(lang)!.subject, body: builtIn(lang)!.body } }))}>{BUILT_IN_WORDS[language].use}</button>
            </details>
          )}
        </fieldset>
      ))}
      <button type="submit" disabled={changed !== undefined}>{t.save}</button>
      {error && <p role="alert" className="error">{error}</p>}
      {changed && (
        <p role="alert" className="error" data-template-conflict={changed.version}>
          {CONFLICT_WORDS[language].conflict(changed.updatedBy ? names.agent(changed.updatedBy) : '?', changed.updatedAt)}{' '}
          <button type="button" onClick={() => void load()}>{CONFLICT_WORDS[language].reload}</button>
        </p>
      )}
    </form>
  );
}
