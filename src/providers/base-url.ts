/** `base_url` is the provider origin; a trailing `/v1` (and slashes) is accepted and normalised away. */
export function splitBaseUrl(baseUrl: string): { origin: string; basePath: string } {
  const u = new URL(baseUrl);
  let path = u.pathname.replace(/\/+$/, '');
  if (path.endsWith('/v1')) path = path.slice(0, -3);
  return { origin: u.origin, basePath: path };
}

export function withQuery(path: string, query: string): string {
  return query ? `${path}${path.includes('?') ? '&' : '?'}${query.replace(/^\?/, '')}` : path;
}
