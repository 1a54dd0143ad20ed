interface LoadingProps {
  label: string;
}

/** Polite status message with a spinner, for content areas that are loading. */
export function Loading({ label }: LoadingProps) {
  return (
    <div className="loading" role="status" aria-live="polite">
      <span className="spinner" aria-hidden="true" />
      <span>{label}</span>
    </div>
  );
}

/** Used before the session is known, so there is no shell around it yet. */
export function FullPageLoading({ label }: LoadingProps) {
  return (
    <main id="main" className="page page--centered" aria-busy="true" tabIndex={-1}>
      <Loading label={label} />
    </main>
  );
}
