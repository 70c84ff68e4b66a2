/** Hash routes (`#/send/5F…`): they survive reloads and let the background open a view per request. */
import { useEffect, useState } from 'preact/hooks';

export type Route = string[];

const parse = (): Route => location.hash.replace(/^#\/?/, '').split('/').filter(Boolean).map(decodeURIComponent);

export function useRoute(): Route {
  const [route, setRoute] = useState(parse);
  useEffect(() => {
    const update = () => setRoute(parse());
    addEventListener('hashchange', update);
    return () => removeEventListener('hashchange', update);
  }, []);
  return route;
}

export function go(...path: string[]): void {
  location.hash = `#/${path.map(encodeURIComponent).join('/')}`;
}
