import { useId, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { CharCount, fits } from '../../components/CharCount';
import { ErrorAlert } from '../../components/ErrorAlert';
import { FieldError } from '../../components/form';
import { isIdentifierSuspected, useIdentifierWarning } from '../../components/IdentifierWarning';
import { initials } from '../../lib/text';
import { decodeMentions, mentionNamesFromHtml } from '../chat/format';
import {
  attachmentUrl,
  useAddComment,
  useComments,
  useDeleteComment,
  useDeletePost,
  useLoadedSpace,
  usePinPost,
  useReact,
  useUpdatePost,
} from './api';
import { formatDateTime, formatSize } from './format';
import { isCommunityId, postUrl } from './paths';
import { CommentIcon, FileIcon, PinIcon } from './icons';
import { SpaceMentionField, useSpaceMentions } from './mentions';
import { ResponsiveImage } from '../../components/ResponsiveImage';
import { POST_REACTIONS, type Comment, type Post, type PostReaction, type Visibility } from './types';

export const REACTION_KEYS: Record<PostReaction, 'thumbsUp' | 'heart' | 'party' | 'thanks' | 'eyes' | 'done'> = {
  '👍': 'thumbsUp',
  '❤️': 'heart',
  '🎉': 'party',
  '🙏': 'thanks',
  '👀': 'eyes',
  '✅': 'done',
};

export const MAX_POST_LENGTH = 10_000;
/** The server's limit for a comment (MaxCommentRunes). */
export const MAX_COMMENT_LENGTH = 4_000;

/** Communities have ids "c-<slug>"; their posts are always visible to the whole organisation. */
export { isCommunityId } from './paths';

// Kept here too for existing imports; it lives in paths.ts so that the home
// page can link to a post without loading this component.
export { postUrl };

interface PostItemProps {
  post: Post;
  /** Open the comments at once (single-post page). */
  commentsOpen?: boolean;
  /** The author's name as a heading of this level. */
  headingLevel?: 2 | 3;
  /** Called after the post was deleted (the single-post page navigates away). */
  onDeleted?: () => void;
}

/** One post: author, labels, sanitised body, attachments, reactions, comments and the author's actions. */
export function PostItem({ post, commentsOpen = false, headingLevel = 3, onDeleted }: PostItemProps) {
  const { t, i18n } = useTranslation();
  const headingId = useId();
  const commentsId = useId();
  const [editing, setEditing] = useState(false);
  const [showComments, setShowComments] = useState(commentsOpen);
  const [confirmDelete, setConfirmDelete] = useState(false);
  const pin = usePinPost(post);
  const remove = useDeletePost(post);
  const Heading = headingLevel === 2 ? 'h2' : 'h3';

  const classes = ['sp-post'];
  if (post.pinned) classes.push('sp-post--pinned');
  if (post.agreement) classes.push('sp-post--agreement');

  return (
    <article
      className={classes.join(' ')}
      aria-labelledby={headingId}
      data-testid="post"
      data-post-id={post.id}
      data-pinned={post.pinned ? 'true' : 'false'}
    >
      <header className="sp-post__header">
        <span className="avatar" aria-hidden="true">
          {initials(post.author.name)}
        </span>
        <div className="sp-post__byline">
          <Heading id={headingId} className="sp-post__author">
            {post.author.name}
          </Heading>
          <p className="sp-post__meta">
            <Link to={postUrl(post)} className="sp-post__time">
              <time dateTime={post.createdAt}>{formatDateTime(post.createdAt, i18n.language)}</time>
              <span className="visually-hidden"> {t('spaces.post.open')}</span>
            </Link>
            {post.editedAt && <span> · {t('spaces.post.edited')}</span>}
          </p>
        </div>
      </header>

      <ul className="badges sp-post__labels">
        {post.agreement && <li className="badge badge--task">{t('spaces.post.agreement')}</li>}
        {post.pinned && (
          <li className="badge badge--own">
            <PinIcon className="sp-badge__icon" /> {t('spaces.post.pinned')}
          </li>
        )}
        <li className={post.visibility === 'team' ? 'badge badge--role' : 'badge sp-badge--plain'}>
          {t(post.visibility === 'team' ? 'spaces.visibility.teamShort' : 'spaces.visibility.organisationShort')}
        </li>
      </ul>

      {editing ? (
        <EditPostForm post={post} onDone={() => setEditing(false)} />
      ) : (
        // Safe: bodyHtml is the server's sanitised rendering of the markdown
        // (raw HTML off, allowlist); nothing else is injected as HTML.
        <div className="sp-post__body sp-prose-html" dangerouslySetInnerHTML={{ __html: post.bodyHtml }} />
      )}

      {post.attachments.length > 0 && <Attachments post={post} />}

      <Reactions post={post} />

      <div className="sp-post__actions">
        <button
          type="button"
          className="button button--quiet sp-button--small"
          aria-expanded={showComments}
          aria-controls={commentsId}
          data-testid="post-comments-toggle"
          onClick={() => setShowComments((open) => !open)}
        >
          <CommentIcon className="sp-button__icon" />
          {showComments ? t('spaces.comments.hide') : t('spaces.comments.show', { count: post.commentCount })}
        </button>
        {post.canPin && (
          <button
            type="button"
            className="button button--quiet sp-button--small"
            data-testid="post-pin"
            aria-disabled={pin.isPending || undefined}
            onClick={() => !pin.isPending && pin.mutate(!post.pinned)}
          >
            <PinIcon className="sp-button__icon" />
            {post.pinned ? t('spaces.post.unpin') : t('spaces.post.pin')}
          </button>
        )}
        {post.canEdit && !editing && (
          <button type="button" className="button button--quiet sp-button--small" onClick={() => setEditing(true)}>
            {t('spaces.post.edit')}
          </button>
        )}
        {post.canDelete && !confirmDelete && (
          <button type="button" className="button button--quiet sp-button--small" onClick={() => setConfirmDelete(true)}>
            {t('spaces.post.delete')}
          </button>
        )}
      </div>

      {confirmDelete && (
        <div className="sp-confirm" role="group" aria-label={t('spaces.post.deleteConfirm')}>
          <p>{t('spaces.post.deleteConfirm')}</p>
          <div className="sp-confirm__buttons">
            <button
              type="button"
              className="button sp-button--danger sp-button--small"
              aria-disabled={remove.isPending || undefined}
              onClick={() => !remove.isPending && remove.mutate(undefined, { onSuccess: onDeleted })}
            >
              {t('spaces.post.deleteYes')}
            </button>
            <button type="button" className="button button--secondary sp-button--small" onClick={() => setConfirmDelete(false)}>
              {t('spaces.common.cancel')}
            </button>
          </div>
        </div>
      )}
      {pin.isError && <ErrorAlert error={pin.error} />}
      {remove.isError && <ErrorAlert error={remove.error} />}

      <div id={commentsId} hidden={!showComments}>
        {showComments && <Comments post={post} />}
      </div>
    </article>
  );
}

function Attachments({ post }: { post: Post }) {
  const { t, i18n } = useTranslation();
  const images = post.attachments.filter((a) => a.image);
  const files = post.attachments.filter((a) => !a.image);
  return (
    <div className="sp-post__attachments">
      {images.length > 0 && (
        <ul className="sp-post__images">
          {images.map((a) => {
            const url = attachmentUrl(post.spaceId, post.id, a.id);
            return (
              <li key={a.id}>
                <a href={url} target="_blank" rel="noopener noreferrer" className="sp-post__image-link">
                  <ResponsiveImage
                    url={url}
                    width={a.width}
                    height={a.height}
                    sizes="(max-width: 40rem) calc(100vw - 4rem), 28rem"
                    alt={a.name}
                    className="sp-post__image"
                    data-testid="post-attachment-image"
                  />
                  <span className="visually-hidden">{t('spaces.attachments.openImage', { name: a.name })}</span>
                </a>
              </li>
            );
          })}
        </ul>
      )}
      {files.length > 0 && (
        <ul className="sp-file-list" aria-label={t('spaces.attachments.label')}>
          {files.map((a) => (
            <li key={a.id}>
              <a
                href={attachmentUrl(post.spaceId, post.id, a.id)}
                download={a.name}
                className="sp-file-link"
                data-testid="post-attachment-file"
              >
                <FileIcon className="sp-file-link__icon" />
                <span className="sp-file-link__name">{a.name}</span>
                <span className="sp-file-link__meta">
                  {formatSize(a.size, i18n.language)}
                  <span className="visually-hidden"> {t('spaces.attachments.download')}</span>
                </span>
              </a>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

function Reactions({ post }: { post: Post }) {
  const { t } = useTranslation();
  const react = useReact(post);
  return (
    <div className="sp-reactions" role="group" aria-label={t('spaces.reactions.label')}>
      {POST_REACTIONS.map((emoji) => {
        const current = post.reactions.find((r) => r.emoji === emoji);
        const count = current?.count ?? 0;
        const mine = current?.mine ?? false;
        const name = t(`spaces.reactions.names.${REACTION_KEYS[emoji]}`);
        return (
          <button
            key={emoji}
            type="button"
            className={mine ? 'sp-reaction sp-reaction--mine' : count > 0 ? 'sp-reaction sp-reaction--used' : 'sp-reaction'}
            aria-pressed={mine}
            aria-label={t('spaces.reactions.button', { name, count })}
            data-testid="post-reaction"
            data-emoji={emoji}
            onClick={() => !react.isPending && react.mutate({ emoji, on: !mine })}
          >
            <span aria-hidden="true">{emoji}</span>
            {count > 0 && (
              <span className="sp-reaction__count" aria-hidden="true">
                {count}
              </span>
            )}
          </button>
        );
      })}
      {react.isError && <ErrorAlert error={react.error} />}
    </div>
  );
}

/**
 * The body as the author wrote it: its "<@userId>" tokens shown as "@Name"
 * (names from the server's rendering, the space's members and the author),
 * with those mentions remembered so that saving sends the tokens again.
 */
function editableBody(post: Post, members: readonly { id: string; name: string }[] | undefined) {
  const names = new Map<string, string>();
  for (const member of members ?? []) names.set(member.id, member.name);
  names.set(post.author.id, post.author.name);
  for (const [id, name] of mentionNamesFromHtml(post.bodyHtml)) names.set(id, name);
  return decodeMentions(post.body, names);
}

function EditPostForm({ post, onDone }: { post: Post; onDone: () => void }) {
  const { t } = useTranslation();
  const update = useUpdatePost(post);
  const members = useLoadedSpace(post.spaceId)?.members;
  const [initial] = useState(() => editableBody(post, members));
  const [body, setBody] = useState(initial.text);
  const [visibility, setVisibility] = useState<Visibility>(post.visibility);
  const [agreement, setAgreement] = useState(post.agreement);
  const [invalid, setInvalid] = useState(false);
  const textarea = useRef<HTMLTextAreaElement>(null);
  const mention = useSpaceMentions({
    text: body,
    setText: setBody,
    inputRef: textarea,
    spaceMembers: members,
    initialMentions: initial.mentions,
  });
  const bodyId = useId();
  const hintId = useId();
  const visibilityId = useId();
  const errorId = useId();
  const countId = useId();
  const community = isCommunityId(post.spaceId);
  const warning = useIdentifierWarning(textarea);

  function submit(event: FormEvent) {
    event.preventDefault();
    send(false);
  }

  function send(acknowledgeIdentifiers: boolean) {
    const encoded = mention.encode(body);
    if (!body.trim() || !fits(encoded, MAX_POST_LENGTH)) {
      setInvalid(true);
      return;
    }
    const input = community ? { body: encoded } : { body: encoded, visibility, agreement };
    update.mutate(acknowledgeIdentifiers ? { ...input, acknowledgeIdentifiers } : input, {
      onSuccess: onDone,
      onError: (error) => {
        warning.held(error, () => send(true));
      },
    });
  }

  return (
    <form className="sp-post-form" onSubmit={submit} noValidate>
      <label htmlFor={bodyId} className="field-label">
        {t('spaces.composer.bodyLabel')}
      </label>
      <SpaceMentionField
        mention={mention}
        textareaRef={textarea}
        id={bodyId}
        value={body}
        rows={5}
        aria-invalid={invalid || !fits(mention.encode(body), MAX_POST_LENGTH) || undefined}
        aria-describedby={invalid ? `${errorId} ${countId} ${hintId}` : `${countId} ${hintId}`}
        data-testid="post-edit-body"
        onText={(value) => {
          setBody(value);
          setInvalid(false);
        }}
      />
      <CharCount id={countId} text={mention.encode(body)} max={MAX_POST_LENGTH} />
      <p id={hintId} className="visually-hidden">
        {t('spaces.mentions.hint')}
      </p>
      <FieldError
        id={errorId}
        message={invalid ? (body.trim() ? t('spaces.composer.bodyTooLong', { max: MAX_POST_LENGTH }) : t('spaces.composer.bodyRequired')) : undefined}
      />
      {!community && (
        <>
          <label htmlFor={visibilityId} className="field-label">
            {t('spaces.composer.visibilityLabel')}
          </label>
          <select
            id={visibilityId}
            className="input sp-select"
            value={visibility}
            onChange={(e) => setVisibility(e.target.value as Visibility)}
          >
            <option value="team">{t('spaces.visibility.team')}</option>
            <option value="organisation">{t('spaces.visibility.organisation')}</option>
          </select>
          <label className="sp-checkbox">
            <input type="checkbox" checked={agreement} onChange={(e) => setAgreement(e.target.checked)} />
            <span>{t('spaces.composer.agreement')}</span>
          </label>
        </>
      )}
      {update.isError && !isIdentifierSuspected(update.error) && <ErrorAlert error={update.error} />}
      {warning.dialog}
      <div className="sp-form-buttons">
        <button type="submit" className="button button--primary" aria-disabled={update.isPending || undefined}>
          {update.isPending ? t('spaces.common.saving') : t('spaces.common.save')}
        </button>
        <button type="button" className="button button--secondary" onClick={onDone}>
          {t('spaces.common.cancel')}
        </button>
      </div>
    </form>
  );
}

function Comments({ post }: { post: Post }) {
  const { t } = useTranslation();
  const comments = useComments(post, true);
  const add = useAddComment(post);
  const remove = useDeleteComment(post);
  const [body, setBody] = useState('');
  const [invalid, setInvalid] = useState(false);
  const textarea = useRef<HTMLTextAreaElement>(null);
  // The space's members first when the space is loaded (its home page); else the people search.
  const members = useLoadedSpace(post.spaceId)?.members;
  const mention = useSpaceMentions({ text: body, setText: setBody, inputRef: textarea, spaceMembers: members });
  const fieldId = useId();
  const hintId = useId();
  const errorId = useId();
  const countId = useId();
  const warning = useIdentifierWarning(textarea);

  function submit(event: FormEvent) {
    event.preventDefault();
    send(false);
  }

  function send(acknowledgeIdentifiers: boolean) {
    const encoded = mention.encode(body);
    if (!body.trim() || !fits(encoded, MAX_COMMENT_LENGTH)) {
      setInvalid(true);
      return;
    }
    add.mutate(
      { body: encoded, acknowledgeIdentifiers },
      {
        onSuccess: () => {
          setBody('');
          mention.reset();
        },
        onError: (error) => {
          warning.held(error, () => send(true));
        },
      },
    );
  }

  return (
    <section className="sp-comments" aria-label={t('spaces.comments.label')} data-testid="post-comments">
      {comments.isPending ? (
        <p className="muted">{t('spaces.comments.loading')}</p>
      ) : comments.isError ? (
        <ErrorAlert error={comments.error} onRetry={() => void comments.refetch()} />
      ) : comments.data.length === 0 ? (
        <p className="muted">{t('spaces.comments.none')}</p>
      ) : (
        <ol className="sp-comments__list">
          {comments.data.map((comment) => (
            <CommentItem
              key={comment.id}
              comment={comment}
              onDelete={() => remove.mutate(comment.id)}
              deleting={remove.isPending && remove.variables === comment.id}
            />
          ))}
        </ol>
      )}
      {remove.isError && <ErrorAlert error={remove.error} />}
      <form className="sp-comments__form" onSubmit={submit} noValidate>
        <label htmlFor={fieldId} className="field-label">
          {t('spaces.comments.add')}
        </label>
        <SpaceMentionField
          mention={mention}
          textareaRef={textarea}
          id={fieldId}
          rows={2}
          value={body}
          aria-invalid={invalid || !fits(mention.encode(body), MAX_COMMENT_LENGTH) || undefined}
          aria-describedby={invalid ? `${errorId} ${countId} ${hintId}` : `${countId} ${hintId}`}
          data-testid="comment-body"
          onText={(value) => {
            setBody(value);
            setInvalid(false);
          }}
        />
        <CharCount id={countId} text={mention.encode(body)} max={MAX_COMMENT_LENGTH} />
        <p id={hintId} className="visually-hidden">
          {t('spaces.mentions.hint')}
        </p>
        <FieldError
          id={errorId}
          message={invalid ? (body.trim() ? t('spaces.composer.bodyTooLong', { max: MAX_COMMENT_LENGTH }) : t('spaces.comments.required')) : undefined}
        />
        {add.isError && !isIdentifierSuspected(add.error) && <ErrorAlert error={add.error} />}
        {warning.dialog}
        <div>
          <button type="submit" className="button button--secondary sp-button--small" aria-disabled={add.isPending || undefined}>
            {add.isPending ? t('spaces.common.sending') : t('spaces.comments.submit')}
          </button>
        </div>
      </form>
    </section>
  );
}

function CommentItem({ comment, onDelete, deleting }: { comment: Comment; onDelete: () => void; deleting: boolean }) {
  const { t, i18n } = useTranslation();
  return (
    <li className="sp-comment" data-testid="comment">
      <p className="sp-comment__meta">
        <span className="sp-comment__author">{comment.author.name}</span>{' '}
        <time dateTime={comment.createdAt} className="muted">
          {formatDateTime(comment.createdAt, i18n.language)}
        </time>
      </p>
      {/* Safe: sanitised by the server. */}
      <div className="sp-comment__body sp-prose-html" dangerouslySetInnerHTML={{ __html: comment.bodyHtml }} />
      {comment.canDelete && (
        <button
          type="button"
          className="button button--quiet sp-button--small"
          aria-disabled={deleting || undefined}
          onClick={() => !deleting && onDelete()}
        >
          {t('spaces.comments.delete')}
          <span className="visually-hidden"> {t('spaces.comments.deleteOf', { name: comment.author.name })}</span>
        </button>
      )}
    </li>
  );
}

