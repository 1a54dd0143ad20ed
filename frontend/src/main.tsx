import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { createBrowserRouter } from 'react-router';
import { translationsReady } from './i18n';
import './styles/global.css';
import './styles/chat.css';
import './styles/dashboard.css';
import './styles/knowledge.css';
import './styles/spaces.css';
import './styles/teampage.css';
import { App, routes } from './App';
import { updateWaiting } from './lib/offline';
import { createQueryClient } from './lib/queryClient';

const container = document.getElementById('root');
if (!container) throw new Error('Missing #root element');

const queryClient = createQueryClient();
const router = createBrowserRouter(routes);

// Dutch is in this chunk; an English reader's texts are one fetch away.
void translationsReady.finally(() =>
  createRoot(container).render(
    <StrictMode>
      <App queryClient={queryClient} router={router} />
    </StrictMode>,
  ),
);

// The service worker (offline reading, installable app) is registered once the
// page has loaded, so it costs the first screen nothing (docs/architecture.md).
if (import.meta.env.PROD && 'serviceWorker' in navigator) {
  const start = () => void import('./lib/pwa').then((m) => m.registerServiceWorker(updateWaiting));
  if (document.readyState === 'complete') setTimeout(start, 0);
  else window.addEventListener('load', start, { once: true });
}
