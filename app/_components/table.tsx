// Shared data tables and pagination for the admin, instructor and progress pages. Server
// components, no client state. A table sits in a labelled region that takes keyboard focus, so
// a table wider than the screen scrolls inside it (arrow keys included) instead of pushing the
// page sideways; with `stack`, phones show each row as a card instead (CSS in globals.css).
import type { CSSProperties, ReactNode } from "react";
import Link from "next/link";
import { cn } from "./ui";

export interface Column<T> {
  /** The header cell's content. */
  header: ReactNode;
  /** The header as text, shown before each cell when rows are stacked; defaults to `header` when it is a string. */
  label?: string;
  cell: (row: T) => ReactNode;
  /** This column names the row: its cells are <th scope="row">. */
  rowHeader?: boolean;
  /** Classes for this column's cells. */
  className?: string;
  /** Classes for the header cell. */
  headerClassName?: string;
  /** aria-sort of a sortable column. */
  sort?: "ascending" | "descending" | "none";
}

export interface TableProps<T> {
  /** The scroll region's accessible name (what the table is). */
  label: string;
  /** Visible caption; with `captionHidden`, for screen readers only. Defaults to `label`. */
  caption?: ReactNode;
  captionHidden?: boolean;
  captionClassName?: string;
  columns: Column<T>[];
  rows: readonly T[];
  rowKey: (row: T) => string;
  /** Shown in one full-width cell when there are no rows. */
  empty?: ReactNode;
  /** Below 640 px, show rows as stacked cards (each cell labelled with its column). */
  stack?: boolean;
  /** A minimum table width (CSS length) beyond which the region scrolls; ignored when stacked. */
  minWidth?: string;
  className?: string;
  rowClassName?: string;
}

const CELL = "px-4 py-3";

export function Table<T>({
  label,
  caption,
  captionHidden = false,
  captionClassName,
  columns,
  rows,
  rowKey,
  empty,
  stack = false,
  minWidth,
  className,
  rowClassName,
}: TableProps<T>) {
  const style: CSSProperties | undefined = minWidth ? ({ "--table-min-width": minWidth } as CSSProperties) : undefined;
  return (
    // The region is focusable so keyboard users can scroll it (axe: scrollable-region-focusable).
    <div role="region" aria-label={label} tabIndex={0} className={cn("data-table-region", className)}>
      <table className={cn("data-table w-full text-left text-sm", stack && "data-table-stack")} style={style}>
        <caption className={cn(captionHidden ? "sr-only" : "p-4 text-left text-base font-semibold text-slate-900", captionClassName)}>
          {caption ?? label}
        </caption>
        <thead className="bg-slate-50 text-slate-800">
          <tr>
            {columns.map((column, index) => (
              <th key={index} scope="col" aria-sort={column.sort} className={cn("px-4 py-2 font-medium", column.headerClassName)}>
                {column.header}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={rowKey(row)} className={cn("border-t border-slate-100 align-top", rowClassName)}>
              {columns.map((column, index) => {
                const label = column.label ?? (typeof column.header === "string" ? column.header : undefined);
                return column.rowHeader ? (
                  <th key={index} scope="row" className={cn(CELL, "font-normal", column.className)}>
                    {column.cell(row)}
                  </th>
                ) : (
                  <td key={index} data-label={label} className={cn(CELL, column.className)}>
                    {column.cell(row)}
                  </td>
                );
              })}
            </tr>
          ))}
          {rows.length === 0 && empty ? (
            <tr>
              <td colSpan={columns.length} className="px-4 py-6 text-center text-slate-700">
                {empty}
              </td>
            </tr>
          ) : null}
        </tbody>
      </table>
    </div>
  );
}

/** Previous/next page links (plain links: they work without JavaScript and can be bookmarked). */
export function Pagination({
  page,
  pageCount,
  href,
  label = "Pages",
  className,
}: {
  page: number;
  pageCount: number;
  href: (page: number) => string;
  label?: string;
  className?: string;
}) {
  return (
    <nav
      aria-label={label}
      className={cn("flex flex-wrap items-center justify-between gap-2 border-t border-slate-200 p-4 text-sm", className)}
    >
      <span>
        Page {page} of {pageCount}
      </span>
      <span className="flex gap-4">
        {page > 1 ? (
          <Link className="text-brand-800 underline" href={href(page - 1)} rel="prev">
            Previous page
          </Link>
        ) : null}
        {page < pageCount ? (
          <Link className="text-brand-800 underline" href={href(page + 1)} rel="next">
            Next page
          </Link>
        ) : null}
      </span>
    </nav>
  );
}
