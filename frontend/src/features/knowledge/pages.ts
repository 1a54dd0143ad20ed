// The pages of /kennisbank routes, loaded together on first use (routes.tsx, lib/lazyPages.tsx).
export { ArticlePage } from './ArticlePage';
export { EditorPage } from './EditorPage';
export { FeedbackInboxPage } from './FeedbackInboxPage';
export { KnowledgeHome } from './KnowledgeHome';
export { ArticleReportPage, ReportsPage } from './ReportPages';
export { ReviewListPage, ReviewPage } from './ReviewPages';
