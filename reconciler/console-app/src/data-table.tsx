import {
  createTable,
  getCoreRowModel,
  getSortedRowModel,
  type ColumnDef,
  type SortingState,
  type TableState,
} from '@tanstack/table-core';
import type { ComponentChildren } from 'preact';
import { useState } from 'preact/hooks';

export interface DataTableProps<Row> {
  readonly rows: readonly Row[];
  /** TanStack column definitions; `cell` returns what to show (a string or markup). */
  readonly columns: ColumnDef<Row, unknown>[];
  /** Accessible name of the table. */
  readonly caption: string;
  /** A stable key per row, so rows keep their DOM (and focus) when more arrive. */
  readonly rowId: (row: Row) => string;
  readonly empty?: string;
}

/**
 * A headless TanStack table drawn as a plain, keyboard-reachable HTML table: headers sort on
 * Enter/Space (they are buttons), and narrow screens scroll it sideways instead of squeezing.
 */
export function DataTable<Row>(props: DataTableProps<Row>) {
  const [sorting, setSorting] = useState<SortingState>([]);
  // Built per render, as TanStack's own adapters do: the hooks own the state, the table derives.
  const table = createTable<Row>({
    data: props.rows as Row[],
    columns: props.columns,
    state: {},
    onStateChange: () => {},
    onSortingChange: (updater) =>
      setSorting((old) => (typeof updater === 'function' ? updater(old) : updater)),
    getCoreRowModel: getCoreRowModel(),
    getSortedRowModel: getSortedRowModel(),
    getRowId: (row) => props.rowId(row),
    renderFallbackValue: '',
  });
  const state: TableState = { ...table.initialState, sorting };
  table.setOptions((prev) => ({ ...prev, state }));

  const rows = table.getRowModel().rows;
  return (
    <div class="table-wrap" role="region" aria-label={props.caption} tabIndex={0}>
      <table>
        <caption class="visually-hidden">{props.caption}</caption>
        <thead>
          {table.getHeaderGroups().map((group) => (
            <tr key={group.id}>
              {group.headers.map((header) => {
                const sorted = header.column.getIsSorted();
                const label = String(header.column.columnDef.header ?? header.id);
                return (
                  <th
                    key={header.id}
                    scope="col"
                    aria-sort={
                      sorted === 'asc' ? 'ascending' : sorted === 'desc' ? 'descending' : undefined
                    }
                  >
                    {header.column.getCanSort() ? (
                      <button
                        type="button"
                        class="sort"
                        onClick={header.column.getToggleSortingHandler()}
                      >
                        {label}
                        <span aria-hidden="true">
                          {sorted === 'asc' ? ' ▲' : sorted === 'desc' ? ' ▼' : ''}
                        </span>
                      </button>
                    ) : (
                      label
                    )}
                  </th>
                );
              })}
            </tr>
          ))}
        </thead>
        <tbody>
          {rows.length === 0 ? (
            <tr>
              <td colSpan={props.columns.length} class="empty">
                {props.empty ?? 'Nothing to show.'}
              </td>
            </tr>
          ) : (
            rows.map((row) => (
              <tr key={row.id} data-row-id={row.id}>
                {row.getVisibleCells().map((cell) => {
                  const render = cell.column.columnDef.cell;
                  const content =
                    typeof render === 'function'
                      ? (render(cell.getContext()) as ComponentChildren)
                      : String(cell.getValue() ?? '');
                  return (
                    <td key={cell.id} data-col={cell.column.id}>
                      {content}
                    </td>
                  );
                })}
              </tr>
            ))
          )}
        </tbody>
      </table>
    </div>
  );
}
