import type { RouteObject } from 'react-router';
import { lazyPages } from '../../lib/lazyPages';
import './audits.css';

const page = lazyPages(() => import('./pages'), ['audits']);
const ActionPage = page('ActionPage');
const AuditPage = page('AuditPage');
const AuditsHome = page('AuditsHome');
const ConductPage = page('ConductPage');
const PlanningPage = page('PlanningPage');
const RoundPage = page('RoundPage');
const RegionPage = page('RegionPage');
const ReportsPage = page('ReportsPage');

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
