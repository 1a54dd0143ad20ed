import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useParams } from 'react-router';
import { isApiError } from '../../api/client';
import { ErrorAlert } from '../../components/ErrorAlert';
import { Loading } from '../../components/Loading';
import { usePost } from './api';
import { DocumentTitle } from './DocumentTitle';
import { spaceHref } from './paths';
import { PostItem } from './PostItem';
import { SpaceBreadcrumb } from './SpaceLayout';

/** /ruimtes/:spaceId/berichten/:postId: one post with its comments open. 404 when it may not be seen. */
export function PostPage() {
  const { t } = useTranslation();
  const { spaceId = '', postId = '' } = useParams();
  const post = usePost(spaceId, postId);
  const navigate = useNavigate();
  const spaceLink = spaceHref(spaceId);

  if (post.isPending) {
    return (
      <div aria-busy="true">
        <DocumentTitle title={t('spaces.postPage.loading')} />
        <Loading label={t('spaces.postPage.loading')} />
      </div>
    );
  }

  if (post.isError) {
    const notFound = isApiError(post.error) && (post.error.isNotFound || post.error.status === 403);
    return (
      <div className="stack">
        <DocumentTitle title={notFound ? t('spaces.postPage.notFoundTitle') : t('error.title')} />
        <SpaceBreadcrumb />
        {notFound ? (
          <div className="stack stack--tight" data-testid="post-not-found">
            <h1>{t('spaces.postPage.notFoundTitle')}</h1>
            <p>{t('spaces.postPage.notFoundBody')}</p>
          </div>
        ) : (
          <>
            <h1>{t('error.title')}</h1>
            <ErrorAlert error={post.error} onRetry={() => void post.refetch()} />
          </>
        )}
        <p>
          <Link to={spaceLink}>{t('spaces.postPage.back')}</Link>
        </p>
      </div>
    );
  }

  const p = post.data;
  return (
    <div className="stack sp-post-page" data-testid="post-page">
      <DocumentTitle title={t('spaces.postPage.documentTitle', { name: p.author.name, space: p.spaceName })} />
      <SpaceBreadcrumb space={{ id: p.spaceId, name: p.spaceName }} current={t('spaces.postPage.crumb')} />
      <h1 className="visually-hidden">{t('spaces.postPage.heading', { name: p.author.name, space: p.spaceName })}</h1>
      <PostItem post={p} commentsOpen headingLevel={2} onDeleted={() => navigate(spaceLink)} />
      <p>
        <Link to={spaceLink} className="arrow-link">
          {t('spaces.postPage.backTo', { name: p.spaceName })}
        </Link>
      </p>
    </div>
  );
}
