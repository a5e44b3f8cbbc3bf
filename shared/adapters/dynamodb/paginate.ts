type Item = Record<string, unknown>;

export interface Page {
  Items?: Item[];
  LastEvaluatedKey?: Item;
}

/**
 * Reads page after page (Query or Scan) until the table has no more or `enough` says so; the one
 * pagination loop of the adapter. Returns the items read and the key to continue from, if any.
 *
 * @example
 * const { items } = await paginate((startKey) => table.query({ ..., ExclusiveStartKey: startKey }));
 */
export async function paginate(
  read: (startKey: Item | undefined, readSoFar: number) => Promise<Page>,
  options: { startKey?: Item; enough?: (items: Item[]) => boolean } = {},
): Promise<{ items: Item[]; lastKey?: Item }> {
  const items: Item[] = [];
  let startKey = options.startKey;
  do {
    const page = await read(startKey, items.length);
    items.push(...(page.Items ?? []));
    startKey = page.LastEvaluatedKey;
  } while (startKey && !(options.enough?.(items) ?? false));
  return startKey ? { items, lastKey: startKey } : { items };
}
