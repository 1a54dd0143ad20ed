import { act, render, renderHook, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { mockFetch } from '../../test/utils';
import { MAX_ATTACHMENT_BYTES, MessageAttachments, useComposerFiles } from './Attachments';
import type { ChatAttachment } from './types';

const photo: ChatAttachment = {
  id: 'ca-1',
  name: 'wond.jpg',
  contentType: 'image/jpeg',
  size: 412331,
  width: 1200,
  height: 1600,
  url: '/api/v1/chat/channels/t-x/attachments/ca-1',
  variants: [320, 640],
};
const pdf: ChatAttachment = {
  id: 'ca-2',
  name: 'rooster.pdf',
  contentType: 'application/pdf',
  size: 2048,
  url: '/api/v1/chat/channels/t-x/attachments/ca-2',
};

afterEach(() => vi.unstubAllGlobals());

describe('chat attachments', () => {
  it('shows a photo as a lazy thumbnail with its variants, and other files as chips', () => {
    render(<MessageAttachments attachments={[photo, pdf]} />);
    const img = screen.getByTestId('chat-attachment-image');
    expect(img.getAttribute('srcset')).toBe(`${photo.url}?w=320 320w, ${photo.url}?w=640 640w, ${photo.url} 1200w`);
    expect(img.getAttribute('sizes')).toBe('240px');
    expect(img.getAttribute('loading')).toBe('lazy');
    expect(screen.getByRole('link', { name: 'wond.jpg groot openen' }).getAttribute('href')).toBe(photo.url);
    const chip = screen.getByTestId('chat-attachment-file');
    expect(chip.getAttribute('href')).toBe(pdf.url);
    expect(chip.textContent).toContain('rooster.pdf');
    expect(chip.textContent).toContain('2 kB');
  });

  it('uploads picked files and refuses in Dutch what the server or the size limit refuses', async () => {
    mockFetch({
      'POST /api/v1/chat/channels/t-x/attachments': ({ init }) => {
        const file = (init.body as FormData).get('file') as File;
        if (file.name.endsWith('.html')) {
          return { status: 422, body: { status: 422, code: 'invalid', errors: [{ field: 'file', code: 'file_type_refused', message: 'no' }] } };
        }
        if (file.name === 'leeg.png') {
          return { status: 422, body: { status: 422, code: 'invalid', errors: [{ field: 'file', code: 'file_empty', message: 'empty' }] } };
        }
        if (file.name === 'net-te-groot.pdf') {
          // The upload reader's refusal (413), a problem without field errors.
          return { status: 413, body: { status: 413, code: 'file_too_large', title: 'Payload Too Large' } };
        }
        return { status: 201, body: photo };
      },
    });
    const { result } = renderHook(() => useComposerFiles('t-x'));
    act(() => {
      result.current.add([
        new File(['x'], 'wond.jpg', { type: 'image/jpeg' }),
        new File(['<p>'], 'pagina.html', { type: 'text/html' }),
        new File([new Uint8Array(MAX_ATTACHMENT_BYTES + 1)], 'groot.pdf', { type: 'application/pdf' }),
        new File([], 'leeg.png', { type: 'image/png' }),
        new File(['%PDF'], 'net-te-groot.pdf', { type: 'application/pdf' }),
      ]);
    });
    expect(result.current.busy).toBe(true);
    await waitFor(() => expect(result.current.busy).toBe(false));
    const byName = Object.fromEntries(result.current.files.map((f) => [f.name, f]));
    expect(byName['wond.jpg']?.status).toBe('ready');
    // Wrong type and too large name what chat takes and the limit, in Dutch.
    expect(byName['pagina.html']?.error).toBe(
      'Dit soort bestand kan niet in de chat, of de naam past niet bij de inhoud. Je kunt foto’s (jpg, png, gif, webp), pdf en Word-, Excel- en PowerPoint-bestanden (docx, xlsx, pptx) sturen, tot 10 MB per bestand.',
    );
    const tooLarge =
      'Dit bestand is te groot: in de chat kan maximaal 10 MB per bestand. Je kunt foto’s (jpg, png, gif, webp), pdf en Word-, Excel- en PowerPoint-bestanden (docx, xlsx, pptx) sturen.';
    expect(byName['groot.pdf']?.error).toBe(tooLarge);
    expect(byName['net-te-groot.pdf']?.error).toBe(tooLarge);
    expect(byName['leeg.png']?.error).toBe('Dit bestand is leeg.');
    expect(result.current.ids).toEqual(['ca-1']);
  });
});
