import type { RouteObject } from 'react-router';
import { lazyPages } from '../../lib/lazyPages';

const page = lazyPages(() => import('./pages'), ['learning']);
const CoachBoardPage = page('CoachBoardPage');
const LearningHome = page('LearningHome');
const ProgrammePage = page('ProgrammePage');
const ScanPage = page('ScanPage');
const SessionPage = page('SessionPage');
const TeamLearningPage = page('TeamLearningPage');
const YieldPage = page('YieldPage');

/** /leren routes (Dutch URLs), added under the root route's children in App.tsx. */
export const learningRoute: RouteObject = {
  path: 'leren',
  children: [
    { index: true, element: <LearningHome /> },
    { path: 'bord', element: <CoachBoardPage /> },
    { path: 'team/:teamId', element: <TeamLearningPage /> },
    { path: 'team/:teamId/scan', element: <ScanPage /> },
    { path: 'sessies/:sessionId', element: <SessionPage /> },
    { path: 'opbrengsten', element: <YieldPage /> },
    { path: 'programma', element: <ProgrammePage /> },
  ],
};
