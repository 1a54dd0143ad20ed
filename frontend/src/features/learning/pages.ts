// The pages of /leren routes, loaded together on first use (routes.tsx, lib/lazyPages.tsx).
// Styles: the feature's own and those of other features whose parts these pages show.
import '../dashboard/dashboard.css';
export { CoachBoardPage } from './CoachBoardPage';
export { LearningHome } from './LearningHome';
export { ProgrammePage } from './ProgrammePage';
export { ScanPage } from './ScanPage';
export { SessionPage } from './SessionPage';
export { TeamLearningPage } from './TeamLearningPage';
export { YieldPage } from './YieldPage';
