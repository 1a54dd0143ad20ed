// The pages of /kennisbank routes, loaded together on first use (routes.tsx, lib/lazyPages.tsx).
// Styles: the feature's own and those of other features whose parts these pages show.
import '../dashboard/dashboard.css';
import './knowledge.css';
import '../spaces/spaces.css';
export { ArticlePage } from './ArticlePage';
export { EditorPage } from './EditorPage';
export { FeedbackInboxPage } from './FeedbackInboxPage';
export { KnowledgeHome } from './KnowledgeHome';
export { ArticleReportPage, ReportsPage } from './ReportPages';
export { ReviewListPage, ReviewPage } from './ReviewPages';
