import { useEffect, useRef, useState } from 'react';
import { useLocation } from 'react-router';

/**
 * A menu that a button opens (the header's "Meer" and user menus): closes
 * on Escape (focus back to the button), on a pointer down outside `box` and
 * on navigation. Put `button` on the toggle and `box` around toggle and panel.
 */
export function useDisclosure<B extends HTMLElement>() {
  const [open, setOpen] = useState(false);
  const button = useRef<HTMLButtonElement>(null);
  const box = useRef<B>(null);
  const location = useLocation();

  useEffect(() => setOpen(false), [location.pathname]);

  useEffect(() => {
    if (!open) return;
    const onDown = (event: PointerEvent) => {
      if (box.current && !box.current.contains(event.target as Node)) setOpen(false);
    };
    const onKey = (event: KeyboardEvent) => {
      if (event.key === 'Escape') {
        setOpen(false);
        button.current?.focus();
      }
    };
    document.addEventListener('pointerdown', onDown);
    document.addEventListener('keydown', onKey);
    return () => {
      document.removeEventListener('pointerdown', onDown);
      document.removeEventListener('keydown', onKey);
    };
  }, [open]);

  return { open, setOpen, button, box };
}
