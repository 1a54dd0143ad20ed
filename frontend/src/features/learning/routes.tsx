import type { RouteObject } from 'react-router';
import { CoachBoardPage } from './CoachBoardPage';
import { LearningHome } from './LearningHome';
import { ProgrammePage } from './ProgrammePage';
import { ScanPage } from './ScanPage';
import { SessionPage } from './SessionPage';
import { TeamLearningPage } from './TeamLearningPage';
import { YieldPage } from './YieldPage';

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
