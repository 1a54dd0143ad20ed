import type { RouteObject } from 'react-router';
import { ArticlePage } from './ArticlePage';
import { EditorPage } from './EditorPage';
import { FeedbackInboxPage } from './FeedbackInboxPage';
import { KnowledgeHome } from './KnowledgeHome';
import { ArticleReportPage, ReportsPage } from './ReportPages';
import { ReviewListPage, ReviewPage } from './ReviewPages';

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
