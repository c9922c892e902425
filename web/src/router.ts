// A small client-side router over the History API. The pages' paths are also the
// server's (server/src/web_routes.cc, WebPagePaths): a reload or a link from an e-mail
// gets index.html, and this router draws the page.
import { useEffect, useState } from 'preact/hooks';

const listeners = new Set<() => void>();

export function navigate(to: string, replace = false) {
  if (replace) history.replaceState(null, '', to);
  else history.pushState(null, '', to);
  listeners.forEach((l) => l());
}

window.addEventListener('popstate', () => listeners.forEach((l) => l()));

export function useLocation(): URL {
  const [url, setUrl] = useState(() => new URL(location.href));
  useEffect(() => {
    const update = () => setUrl(new URL(location.href));
    listeners.add(update);
    return () => {
      listeners.delete(update);
    };
  }, []);
  return url;
}

/** The {name} parameters of `pattern` in `path`, or null when it does not match. */
export function match(pattern: string, path: string): Record<string, string> | null {
  const p = pattern.split('/').filter(Boolean);
  const s = path.split('/').filter(Boolean);
  if (p.length !== s.length) return null;
  const params: Record<string, string> = {};
  for (let i = 0; i < p.length; i++) {
    if (p[i].startsWith('{') && p[i].endsWith('}')) params[p[i].slice(1, -1)] = decodeURIComponent(s[i]);
    else if (p[i] !== s[i]) return null;
  }
  return params;
}

/** Same-origin links navigate without reloading the application. */
export function onLinkClick(e: MouseEvent) {
  const a = (e.target as Element).closest('a');
  if (!a || e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
  if (a.target || a.hasAttribute('download') || a.origin !== location.origin) return;
  // Served by the service itself: the API, keys, an acta's verification report by folio.
  if (a.pathname.startsWith('/api/') || a.pathname.startsWith('/keys/') || a.pathname.startsWith('/verificar/')) return;
  e.preventDefault();
  navigate(a.pathname + a.search + a.hash);
}
