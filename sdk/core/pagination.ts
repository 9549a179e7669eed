// Page-number pagination, written once: an async iterator over pages and `listAll` to collect every item.

export interface Page<T> {
  items: T[];
  /** Total number of items across all pages, as reported by the server. */
  totalCount: number;
}

export type PageFetcher<T> = (page: number, pageSize: number) => Promise<Page<T>>;

export interface PaginationOptions {
  /** First page number; Scaleway pages are 1-based. */
  firstPage?: number;
  pageSize?: number;
  /** Stops after this many pages even if the server reports more (guards against a miscounting server). */
  maxPages?: number;
}

/** Yields pages until the server's total is reached or a page comes back empty or short. */
export async function* paginate<T>(
  fetchPage: PageFetcher<T>,
  options: PaginationOptions = {},
): AsyncGenerator<T[]> {
  const pageSize = options.pageSize ?? 100;
  const maxPages = options.maxPages ?? 1000;
  let seen = 0;
  for (let index = 0; index < maxPages; index++) {
    const page = await fetchPage((options.firstPage ?? 1) + index, pageSize);
    if (page.items.length === 0) return;
    yield page.items;
    seen += page.items.length;
    if (seen >= page.totalCount || page.items.length < pageSize) return;
  }
}

/** Every item of every page, in order. */
export async function listAll<T>(fetchPage: PageFetcher<T>, options: PaginationOptions = {}): Promise<T[]> {
  const items: T[] = [];
  for await (const page of paginate(fetchPage, options)) items.push(...page);
  return items;
}
