/** Binary min-heap of cell indices keyed by priority. */
export class MinHeap {
  #cells: number[] = [];
  #keys: number[] = [];

  get size(): number {
    return this.#cells.length;
  }

  push(cell: number, key: number): void {
    const cells = this.#cells;
    const keys = this.#keys;
    let i = cells.length;
    cells.push(cell);
    keys.push(key);
    while (i > 0) {
      const p = (i - 1) >> 1;
      if ((keys[p] as number) <= key) break;
      cells[i] = cells[p] as number;
      keys[i] = keys[p] as number;
      i = p;
    }
    cells[i] = cell;
    keys[i] = key;
  }

  pop(): number {
    const cells = this.#cells;
    const keys = this.#keys;
    const top = cells[0] as number;
    const lastCell = cells.pop() as number;
    const lastKey = keys.pop() as number;
    const n = cells.length;
    if (n > 0) {
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        if (l >= n) break;
        const r = l + 1;
        const c = r < n && (keys[r] as number) < (keys[l] as number) ? r : l;
        if ((keys[c] as number) >= lastKey) break;
        cells[i] = cells[c] as number;
        keys[i] = keys[c] as number;
        i = c;
      }
      cells[i] = lastCell;
      keys[i] = lastKey;
    }
    return top;
  }
}
