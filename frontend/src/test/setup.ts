import '@testing-library/jest-dom/vitest';
import { cleanup, configure } from '@testing-library/react';
import { afterEach, beforeAll, beforeEach, vi } from 'vitest';
import i18n, { DEFAULT_LANGUAGE, TRANSLATED_FEATURES, loadFeatureTranslations } from '../i18n';
import { setCsrfToken } from '../api/client';

// Feature pages are loaded on first use (lib/lazyPages.tsx); in a test the
// first render of a feature also transforms its modules, which on a busy
// machine (load 15+) can take several seconds: findBy waits up to 15 s.
configure({ asyncUtilTimeout: 15_000 });

// jsdom does not implement scrolling; React Router's ScrollRestoration calls it.
window.scrollTo = vi.fn() as unknown as typeof window.scrollTo;

// PLEIN_TEST_NOW=YYYY-MM-DD moves the calendar (Date only; timers stay real),
// to prove no test depends on today's date: see docs/operations.md.
// (process is Node's, which the app's TypeScript settings do not describe.)
const testNow = (globalThis as { process?: { env: Record<string, string | undefined> } }).process?.env.PLEIN_TEST_NOW;
const movedNow = testNow ? new Date(`${testNow.slice(0, 10)}T${new Date().toISOString().slice(11)}`) : null;

// Tests render feature pages directly, without their lazyPages call: every
// feature's texts are there from the start (in each language as it is chosen).
beforeAll(() => loadFeatureTranslations(TRANSLATED_FEATURES));

beforeEach(async () => {
  if (movedNow) vi.useFakeTimers({ now: movedNow, toFake: ['Date'], shouldAdvanceTime: true });
  window.localStorage.clear();
  setCsrfToken(null);
  await i18n.changeLanguage(DEFAULT_LANGUAGE);
});

afterEach(() => {
  if (movedNow) vi.useRealTimers();
  cleanup();
  vi.unstubAllGlobals();
});
