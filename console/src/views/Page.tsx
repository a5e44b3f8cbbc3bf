import { Component, type ReactNode } from 'react';
import type { Polled } from '../hooks.js';
import { useI18n } from '../i18n.js';
import { errorText, formatWhen } from '../words.js';

/** A request that failed, in the UI language from the API's code: never the API's English detail. */
export function Problem(props: { error: unknown }) {
  const { t, language } = useI18n();
  return <p role="alert" className="error">{t.actionFailed}: {errorText(props.error, language)}</p>;
}

/** A moment as every page writes it (words.ts formatWhen), machine-readable too; "—" when there is none. */
export function When(props: { at: string | undefined }) {
  const { language } = useI18n();
  const text = formatWhen(props.at, language);
  return text ? <time dateTime={props.at}>{text}</time> : <>—</>;
}

/** When a list was last read, in the UI language ("—" before the first answer). */
export function UpdatedAt(props: { at: Date | undefined }) {
  const { t, language } = useI18n();
  return <>{t.updated} {props.at ? props.at.toLocaleTimeString(language === 'en' ? 'en-GB' : 'zh-CN') : '—'}</>;
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

/** A table's column headings; a `false` entry (a column this viewer does not get) is left out. */
export function ColumnHeads(props: { columns: ReadonlyArray<ReactNode | false> }) {
  return (
    <thead>
      <tr>{props.columns.map((column, index) => (column === false ? null : <th scope="col" key={index}>{column}</th>))}</tr>
    </thead>
  );
}

/**
 * Keeps one page's crash on that page: the menu stays, the agent reads what happened in their
 * language and can go on elsewhere or reload, instead of a blank window. `resetKey` (the route)
 * clears it when the agent moves on.
 */
export class PageBoundary extends Component<{ resetKey: string; text: { failed: string; reload: string }; children: ReactNode }, { failed: boolean }> {
  override state = { failed: false };

  static getDerivedStateFromError(): { failed: boolean } {
    return { failed: true };
  }

  override componentDidCatch(error: unknown): void {
    console.error('console page failed', error);
  }

  override componentDidUpdate(previous: { resetKey: string }): void {
    if (this.state.failed && previous.resetKey !== this.props.resetKey) this.setState({ failed: false });
  }

  override render(): ReactNode {
    if (!this.state.failed) return this.props.children;
    return (
      <div role="alert" className="error" data-page-failed>
        <p>{this.props.text.failed}</p>
        <button type="button" onClick={() => window.location.reload()}>{this.props.text.reload}</button>
      </div>
    );
  }
}
