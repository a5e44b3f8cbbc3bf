import type { ReactNode } from 'react';
import type { Polled } from '../hooks.js';
import { useI18n } from '../i18n.js';
import { errorText } from '../words.js';

/** A request that failed, in the UI language from the API's code: never the API's English detail. */
export function Problem(props: { error: unknown }) {
  const { t, language } = useI18n();
  return <p role="alert" className="error">{t.actionFailed}: {errorText(props.error, language)}</p>;
}

/** When a list was last read, in the UI language ("—" before the first answer). */
export function UpdatedAt(props: { at: Date | undefined }) {
  const { t, language } = useI18n();
  return <>{t.updated} {props.at ? props.at.toLocaleTimeString(language) : '—'}</>;
}

/**
 * A list page's frame, the same on every list: the title with how many rows there are and when
 * they were read; then `above` (an introduction, filters); then why the list could not be read,
 * "loading" before the first answer, or the empty state; then the list itself.
 *
 * The empty state shows only when the list was read and really is empty: a failed read says why,
 * never "nothing here".
 */
export function ListPage(props: {
  /** Names the section (`<name>-title` is the heading's id). */
  name: string;
  title: string;
  polled: Pick<Polled<unknown>, 'error' | 'loading' | 'updatedAt'>;
  count: number;
  /** Replaces "count · updated" beside the title. */
  meta?: ReactNode;
  above?: ReactNode;
  emptyText?: string;
  className?: string;
  children?: ReactNode;
}) {
  const { t } = useI18n();
  const { polled } = props;
  return (
    <section aria-labelledby={`${props.name}-title`} className={props.className}>
      <div className="heading">
        <h1 id={`${props.name}-title`}>{props.title}</h1>
        <p className="muted">{props.meta ?? <>{props.count} · <UpdatedAt at={polled.updatedAt} /></>}</p>
      </div>
      {props.above}
      {polled.error !== undefined && <Problem error={polled.error} />}
      {polled.loading && <p>{t.loading}</p>}
      {!polled.loading && polled.error === undefined && props.count === 0 && <p data-empty>{props.emptyText ?? t.empty}</p>}
      {props.children}
    </section>
  );
}
