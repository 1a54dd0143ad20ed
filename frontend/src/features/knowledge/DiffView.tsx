import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { DiffLine } from './types';

/** Unchanged lines kept around each change; longer unchanged runs fold away. */
const CONTEXT = 2;

type Block = { kind: 'lines'; lines: DiffLine[]; start: number } | { kind: 'fold'; lines: DiffLine[]; start: number };

/** Groups lines so that long unchanged stretches can be folded. Exported for tests. */
export function foldDiff(lines: DiffLine[], context = CONTEXT): Block[] {
  const keep = lines.map((l) => l.op !== 'eq');
  lines.forEach((l, i) => {
    if (l.op === 'eq') return;
    for (let j = Math.max(0, i - context); j <= Math.min(lines.length - 1, i + context); j++) keep[j] = true;
  });
  const blocks: Block[] = [];
  let i = 0;
  while (i < lines.length) {
    const k = keep[i]!;
    let j = i;
    while (j < lines.length && keep[j] === k) j++;
    const run = lines.slice(i, j);
    // Folding fewer than 4 lines saves nothing.
    const fold = !k && run.length >= 4;
    const last = blocks[blocks.length - 1];
    if (!fold && last?.kind === 'lines') last.lines = [...last.lines, ...run];
    else blocks.push(fold ? { kind: 'fold', lines: run, start: i } : { kind: 'lines', lines: run, start: i });
    i = j;
  }
  return blocks;
}

function Line({ line }: { line: DiffLine }) {
  const { t } = useTranslation();
  return (
    <li className={`kb-diff__line kb-diff__line--${line.op}`} data-op={line.op}>
      <span className="kb-diff__sign" aria-hidden="true">
        {line.op === 'add' ? '+' : line.op === 'del' ? '−' : ' '}
      </span>
      {line.op !== 'eq' && (
        <span className="visually-hidden">{line.op === 'add' ? t('knowledge.diff.added') : t('knowledge.diff.removed')}: </span>
      )}
      <span className="kb-diff__text">{line.text === '' ? '\u00a0' : line.text}</span>
    </li>
  );
}

function Fold({ lines }: { lines: DiffLine[] }) {
  const { t } = useTranslation();
  const [open, setOpen] = useState(false);
  if (open) return lines.map((l, i) => <Line key={i} line={l} />);
  return (
    <li className="kb-diff__fold">
      <button type="button" className="kb-link-button" onClick={() => setOpen(true)}>
        {t('knowledge.diff.showUnchanged', { count: lines.length })}
      </button>
    </li>
  );
}

/** A line diff: additions green with "+", removals red with "−", announced as text too. */
export function DiffView({ lines, label }: { lines: DiffLine[]; label: string }) {
  const { t } = useTranslation();
  const added = lines.filter((l) => l.op === 'add').length;
  const removed = lines.filter((l) => l.op === 'del').length;
  const blocks = foldDiff(lines);
  return (
    <div className="kb-diff" data-testid="kb-diff">
      <p className="kb-diff__summary">
        {added + removed === 0
          ? t('knowledge.diff.noChanges')
          : `${t('knowledge.diff.addedCount', { count: added })}, ${t('knowledge.diff.removedCount', { count: removed })}`}
      </p>
      <ol className="kb-diff__lines" aria-label={label}>
        {blocks.map((b) =>
          b.kind === 'fold' ? (
            <Fold key={b.start} lines={b.lines} />
          ) : (
            b.lines.map((l, i) => <Line key={b.start + i} line={l} />)
          ),
        )}
      </ol>
    </div>
  );
}
