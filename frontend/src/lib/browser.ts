/**
 * Thin wrapper around full-page navigation so tests can observe it
 * (jsdom's window.location cannot be spied on directly).
 */
export const browser = {
  navigate(url: string): void {
    window.location.assign(url);
  },
};
