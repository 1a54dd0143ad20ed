import { QueryClientProvider, type QueryClient } from '@tanstack/react-query';
import type { ComponentProps } from 'react';
import { RouterProvider, type RouteObject } from 'react-router';
import { NotFoundPage } from './components/NotFoundPage';
import { RouteError } from './components/RouteError';
import { accessLogRoute } from './features/accesslog/routes';
import { adminRoute } from './features/admin/routes';
import { auditsRoute } from './features/audits/routes';
import { chatRoute } from './features/chat/routes';
import { dashboardRoute } from './features/dashboard/routes';
import { HomePage } from './features/home/HomePage';
import { knowledgeRoute } from './features/knowledge/routes';
import { learningRoute } from './features/learning/routes';
import { privacyRoutes } from './features/privacy/routes';
import { spacesRoutes } from './features/spaces/routes';
import { teamRoutes } from './features/org/routes';
import { SessionGate } from './app/SessionGate';

/**
 * Client routes. The session gate is the root element: it shows the login
 * screen when logged out, otherwise the app shell with the page inside.
 * New feature areas add their routes under `children`.
 */
export const routes: RouteObject[] = [
  {
    path: '/',
    element: <SessionGate />,
    errorElement: <RouteError />,
    children: [
      { index: true, element: <HomePage /> },
      ...teamRoutes,
      chatRoute,
      dashboardRoute,
      knowledgeRoute,
      learningRoute,
      ...spacesRoutes,
      accessLogRoute,
      adminRoute,
      auditsRoute,
      ...privacyRoutes,
      { path: '*', element: <NotFoundPage /> },
    ],
  },
];

interface AppProps {
  queryClient: QueryClient;
  router: ComponentProps<typeof RouterProvider>['router'];
}

export function App({ queryClient, router }: AppProps) {
  return (
    <QueryClientProvider client={queryClient}>
      <RouterProvider router={router} />
    </QueryClientProvider>
  );
}
