import '@testing-library/jest-dom/vitest';
import { cleanup } from '@testing-library/react';
import { afterEach, beforeEach, vi } from 'vitest';
import i18n, { DEFAULT_LANGUAGE } from '../i18n';
import { setCsrfToken } from '../api/client';

// jsdom does not implement scrolling; React Router's ScrollRestoration calls it.
window.scrollTo = vi.fn() as unknown as typeof window.scrollTo;

beforeEach(async () => {
  window.localStorage.clear();
  setCsrfToken(null);
  await i18n.changeLanguage(DEFAULT_LANGUAGE);
});

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});
