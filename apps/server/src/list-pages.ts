/**
 * `next` and `previous` links of a list, as Airbyte builds them: the same URL with the new
 * offset; `next` is empty once a page comes back short, `previous` on the first page.
 * Example: `pageLinks("http://h/v1/sources?limit=2", 2, 0, 2)`.
 */
export function pageLinks(
  requestUrl: string,
  limit: number,
  offset: number,
  count: number,
): { next: string; previous: string } {
  const at = (newOffset: number): string => {
    const url = new URL(requestUrl);
    url.searchParams.set("limit", String(limit));
    url.searchParams.set("offset", String(newOffset));
    return url.toString();
  };
  return {
    next: count < limit ? "" : at(offset + limit),
    previous: offset === 0 ? "" : at(Math.max(0, offset - limit)),
  };
}
