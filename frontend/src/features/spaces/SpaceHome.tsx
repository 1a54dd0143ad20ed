import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { ErrorAlert } from '../../components/ErrorAlert';
import { ContactLinks } from '../../components/ContactLinks';
import { Loading } from '../../components/Loading';
import { teamRoleLabel } from '../../lib/labels';
import { initials } from '../../lib/text';
import { useDocumentTitle } from '../../lib/useDocumentTitle';
import { useCurrentUser } from '../session/api';
import { usePinnedPosts, usePostFeed } from './api';
import { spaceHref } from './paths';
import { PostComposer } from './PostComposer';
import { PostItem } from './PostItem';
import { useSpaceOutlet } from './SpaceLayout';
import type { Space } from './types';
import { QueryView } from '../../components/QueryView';

/** /ruimtes/:spaceId: about the space, agreements (pinned), the post stream with composer, members. */
export function SpaceHome() {
  const space = useSpaceOutlet();
  useDocumentTitle(space.name);

  return (
    <div className="sp-space-home" data-testid="space-home">
      <About space={space} />
      <div className="sp-space-home__grid">
        <div className="stack sp-space-home__main">
          <Agreements space={space} />
          <Stream space={space} />
        </div>
        <Members space={space} />
      </div>
    </div>
  );
}

export function About({ space }: { space: Space }) {
  const { t } = useTranslation();
  const phone = space.contact?.phone?.trim();
  const email = space.contact?.email?.trim();
  return (
    <section className="panel sp-space-about" aria-labelledby="space-about">
      <h2 id="space-about">{t(space.kind === 'team' ? 'spaces.about.titleTeam' : 'spaces.about.titleCommunity')}</h2>
      {space.descriptionHtml ? (
        // Safe: descriptionHtml is sanitised by the server.
        <div className="sp-prose-html" data-testid="space-description" dangerouslySetInnerHTML={{ __html: space.descriptionHtml }} />
      ) : (
        <p className="muted">{t('spaces.about.noDescription')}</p>
      )}
      <dl className="facts">
        {space.kind === 'team' && (
          <div>
            <dt>{t('spaces.about.workingArea')}</dt>
            <dd>
              {space.workingArea.length > 0 ? (
                <ul className="chips">
                  {space.workingArea.map((area) => (
                    <li key={area} className="chip">
                      {area}
                    </li>
                  ))}
                </ul>
              ) : (
                t('spaces.about.noWorkingArea')
              )}
            </dd>
          </div>
        )}
        <div>
          <dt>{t('spaces.about.contact')}</dt>
          <dd>
            {phone || email ? (
              <ContactLinks phone={phone} email={email} phoneLabel={t('spaces.about.phone')} emailLabel={t('spaces.about.email')} className="sp-contact-list--inline" />
            ) : (
              t('spaces.about.noContact')
            )}
          </dd>
        </div>
      </dl>
      {space.canEdit && (
        <p>
          <Link to={spaceHref(space.id, 'profiel')} className="arrow-link">
            {t('spaces.about.edit')}
          </Link>
        </p>
      )}
    </section>
  );
}

export function Agreements({ space }: { space: Space }) {
  const { t } = useTranslation();
  const pinned = usePinnedPosts(space.id);
  return (
    <section className="sp-agreements" aria-labelledby="space-agreements" data-testid="space-agreements">
      <h2 id="space-agreements">{t('spaces.agreements.title')}</h2>
      <QueryView query={pinned} loading={t('spaces.agreements.loading')} empty={t('spaces.agreements.none')}>
        {(data) => (
          <ul className="sp-post-list">
            {data.map((post) => (
              <li key={post.id}>
                <PostItem post={post} />
              </li>
            ))}
          </ul>
        )}
      </QueryView>
    </section>
  );
}

export function Stream({ space }: { space: Space }) {
  const { t } = useTranslation();
  const feed = usePostFeed(space.id);
  // Pinned posts are shown under Afspraken, not twice.
  const posts = (feed.data?.pages ?? []).flatMap((page) => page.items).filter((post) => !post.pinned);

  return (
    <section className="stack stack--tight" aria-labelledby="space-posts" data-testid="space-posts">
      <h2 id="space-posts">{t('spaces.posts.title')}</h2>
      {space.canPost ? (
        <PostComposer space={space} />
      ) : (
        <p className="sp-note" data-testid="space-outsider-note">
          {space.archived
            ? t('spaces.postOutcome.archived', { name: space.name })
            : space.kind === 'team'
            ? t('spaces.posts.outsiderTeam', { name: space.name })
            : space.canJoin
              ? t('spaces.posts.joinToPost')
              : t('spaces.posts.cannotPost')}
        </p>
      )}
      {feed.isPending ? (
        <Loading label={t('spaces.posts.loading')} />
      ) : !feed.data ? (
        <ErrorAlert error={feed.error} onRetry={() => void feed.refetch()} />
      ) : posts.length === 0 && !feed.hasNextPage ? (
        <p className="muted">{t('spaces.posts.none')}</p>
      ) : (
        <>
          <ul className="sp-post-list" data-testid="post-stream">
            {posts.map((post) => (
              <li key={post.id}>
                <PostItem post={post} />
              </li>
            ))}
          </ul>
          {feed.hasNextPage && (
            <button
              type="button"
              className="button button--secondary sp-load-more"
              data-testid="posts-more"
              aria-disabled={feed.isFetchingNextPage || undefined}
              onClick={() => !feed.isFetchingNextPage && void feed.fetchNextPage()}
            >
              {feed.isFetchingNextPage ? t('spaces.common.loading') : t('spaces.posts.more')}
            </button>
          )}
          {feed.isError && <ErrorAlert error={feed.error} onRetry={() => void feed.refetch()} />}
        </>
      )}
    </section>
  );
}

function Members({ space }: { space: Space }) {
  const { t, i18n } = useTranslation();
  const user = useCurrentUser();
  const collator = new Intl.Collator(i18n.language, { sensitivity: 'base' });
  const members = [...(space.members ?? [])].sort((a, b) => collator.compare(a.name, b.name));
  return (
    <section className="panel sp-space-members" aria-labelledby="space-members" data-testid="space-members">
      <h2 id="space-members">
        {t('spaces.members.title')} <span className="region__count">{t('spaces.space.memberCount', { count: members.length })}</span>
      </h2>
      {members.length === 0 ? (
        <p className="muted">{t('spaces.members.none')}</p>
      ) : (
        <ul className="sp-space-members__list">
          {members.map((member) => {
            const me = member.id === user.id;
            return (
              <li key={member.id} className={me ? 'member member--me' : 'member'}>
                <span className="avatar" aria-hidden="true">
                  {initials(member.name)}
                </span>
                <div className="member__body">
                  <p className="member__name">
                    {member.name}
                    {me && <span className="member__me"> ({t('spaces.members.you')})</span>}
                  </p>
                  {(member.teamRoles ?? []).length > 0 && (
                    <ul className="badges">
                      {member.teamRoles.map((role) => (
                        <li key={role} className="badge badge--task">
                          <span className="visually-hidden">{t('spaces.members.teamRole')}: </span>
                          {teamRoleLabel(t, role)}
                        </li>
                      ))}
                    </ul>
                  )}
                </div>
              </li>
            );
          })}
        </ul>
      )}
    </section>
  );
}
