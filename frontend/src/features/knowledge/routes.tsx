import type { RouteObject } from 'react-router';
import { lazyPages } from '../../lib/lazyPages';

const page = lazyPages(() => import('./pages'), ['knowledge']);
const ArticlePage = page('ArticlePage');
const EditorPage = page('EditorPage');
const FeedbackInboxPage = page('FeedbackInboxPage');
const KnowledgeHome = page('KnowledgeHome');
const ArticleReportPage = page('ArticleReportPage');
const ReportsPage = page('ReportsPage');
const ReviewListPage = page('ReviewListPage');
const ReviewPage = page('ReviewPage');

/**
 * /kennisbank routes (Dutch URLs), added under the root route's children in
 * App.tsx. Static segments (nieuw, review, …) win over :id.
 */
export const knowledgeRoute: RouteObject = {
  path: 'kennisbank',
  children: [
    { index: true, element: <KnowledgeHome /> },
    { path: 'nieuw', element: <EditorPage key="new" /> },
    { path: 'review', element: <ReviewListPage /> },
    { path: 'rapportage', element: <ReportsPage /> },
    { path: 'vragen', element: <FeedbackInboxPage /> },
    { path: ':id', element: <ArticlePage /> },
    { path: ':id/bewerken', element: <EditorPage key="edit" /> },
    { path: ':id/review', element: <ReviewPage /> },
    { path: ':id/rapportage', element: <ArticleReportPage /> },
  ],
};
