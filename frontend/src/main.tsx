import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { createBrowserRouter } from 'react-router';
import './i18n';
import './styles/global.css';
import './styles/chat.css';
import './styles/chatfiles.css';
import './styles/dashboard.css';
import './styles/knowledge.css';
import './styles/spaces.css';
import './styles/teampage.css';
import { App, routes } from './App';
import { createQueryClient } from './lib/queryClient';

const container = document.getElementById('root');
if (!container) throw new Error('Missing #root element');

const queryClient = createQueryClient();
const router = createBrowserRouter(routes);

createRoot(container).render(
  <StrictMode>
    <App queryClient={queryClient} router={router} />
  </StrictMode>,
);
