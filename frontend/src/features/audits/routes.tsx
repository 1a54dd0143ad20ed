import type { RouteObject } from 'react-router';
import { ActionPage } from './ActionPage';
import { AuditPage } from './AuditPage';
import { AuditsHome } from './AuditsHome';
import { ConductPage } from './ConductPage';
import { PlanningPage, RoundPage } from './PlanningPage';
import { RegionPage } from './RegionPage';
import { ReportsPage } from './ReportsPage';
import './audits.css';

/** /audits routes, added under the root route's children in App.tsx. */
export const auditsRoute: RouteObject = {
  path: 'audits',
  children: [
    { index: true, element: <AuditsHome /> },
    { path: 'rapportage', element: <ReportsPage /> },
    { path: 'planning', element: <PlanningPage /> },
    { path: 'rondes/:roundId', element: <RoundPage /> },
    { path: 'regio/:regionId', element: <RegionPage /> },
    { path: 'acties/:actionId', element: <ActionPage /> },
    { path: ':auditId', element: <AuditPage /> },
    { path: ':auditId/uitvoeren', element: <ConductPage /> },
  ],
};
