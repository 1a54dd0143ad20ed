// The pages of /leren routes, loaded together on first use (routes.tsx, lib/lazyPages.tsx).
export { CoachBoardPage } from './CoachBoardPage';
export { LearningHome } from './LearningHome';
export { ProgrammePage } from './ProgrammePage';
export { ScanPage } from './ScanPage';
export { SessionPage } from './SessionPage';
export { TeamLearningPage } from './TeamLearningPage';
export { YieldPage } from './YieldPage';
