import '@testing-library/jest-dom/vitest';
import { cleanup, configure, fireEvent } from '@testing-library/react';
import { options } from 'preact';
import { afterEach, beforeAll, beforeEach, vi } from 'vitest';
import i18n, { DEFAULT_LANGUAGE, TRANSLATED_FEATURES, loadFeatureTranslations } from '../i18n';
import { setCsrfToken } from '../api/client';

// Feature pages are loaded on first use (lib/lazyPages.tsx); in a test the
// first render of a feature also transforms its modules, which on a busy
// machine (load 15+) can take several seconds: findBy waits up to 15 s.
configure({ asyncUtilTimeout: 15_000 });

// Preact runs useEffect callbacks after the next frame (rAF plus a timeout);
// jsdom paints nothing. Run them right after the commit instead, as React's
// act environment did: a test that has seen a component render also sees its
// effects (subscriptions, focus, the title). preact/test-utils' act
// replaces this within act and puts it back after.
options.requestAnimationFrame = (flush) => queueMicrotask(flush);

// A browser fires `input` before `change` when a field's value changes; React
// answered either, Preact's compat maps a text field's onChange to `input`.
// fireEvent.change fires `change` alone, so fire `input` first as a browser does.
const fireChange = fireEvent.change;
fireEvent.change = (element, init) => {
  fireEvent.input(element, init);
  return fireChange(element, init);
};

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
