// A region manager's own region, as they chose it on home. The organisation
// does not (yet) record which region a manager leads; until it does, the
// choice is kept in this browser, and home and /dashboard lead there.

const KEY = 'plein.myRegion';

export function getMyRegion(): string {
  try {
    return localStorage.getItem(KEY) ?? '';
  } catch {
    return '';
  }
}

export function setMyRegion(id: string): void {
  try {
    if (id) localStorage.setItem(KEY, id);
    else localStorage.removeItem(KEY);
  } catch {
    // Private mode: the choice lasts this visit.
  }
}
