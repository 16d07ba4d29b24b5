/**
 * Plain-text and Markdown tables for the benchmark report, and the number formats they use.
 */

type Cell = string | number;

/** A titled table with optional notes printed under it. */
interface Table {
  readonly title: string;
  readonly header: readonly string[];
  readonly rows: readonly (readonly Cell[])[];
  readonly notes?: readonly string[];
}

/**
 * `1234567.8` -> `1,234,568`; integers as they are; others keep `digits` significant digits.
 *
 * @example
 * num(0.4567); // "0.457"
 * num(12.345); // "12.3"
 * num(98765.4); // "98,765"
 */
function num(value: number, digits = 3): string {
  if (!Number.isFinite(value)) return String(value);
  if (Number.isInteger(value)) return value.toLocaleString("en-US");
  const magnitude = Math.abs(value);
  const decimals =
    magnitude === 0 || magnitude >= 10 ** (digits - 1)
      ? 0
      : Math.max(0, digits - 1 - Math.floor(Math.log10(magnitude)));
  return value.toLocaleString("en-US", { minimumFractionDigits: decimals, maximumFractionDigits: decimals });
}

/**
 * Bytes as MB with one decimal (zero decimals at 100 MB and above).
 *
 * @example
 * mb(15_761_531); // "15.8"
 */
function mb(bytes: number): string {
  return num(bytes / 1e6);
}

function texts(table: Table): string[][] {
  return [
    table.header.map(String),
    ...table.rows.map((row) => row.map((cell) => (typeof cell === "number" ? num(cell) : cell))),
  ];
}

/**
 * A fixed-width text table: first column left-aligned, the others right-aligned.
 *
 * @example
 * console.log(renderText({ title: "Cold init", header: ["function", "ms"], rows: [["notify-team", 71.2]] }));
 */
function renderText(table: Table): string {
  const cells = texts(table);
  const widths = table.header.map((_, i) => Math.max(...cells.map((row) => (row[i] ?? "").length)));
  const line = (row: string[]) =>
    row.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]) : cell.padStart(widths[i]))).join("  ");
  const rule = widths.map((w) => "-".repeat(w)).join("  ");
  const notes = (table.notes ?? []).map((note) => `  ${note}`);
  return [table.title, line(cells[0]), rule, ...cells.slice(1).map(line), ...notes].join("\n");
}

/**
 * The same table as GitHub Markdown (a bold title line, the table, notes as a list).
 *
 * @example
 * fs.writeFileSync("fragment.md", renderMarkdown(table));
 */
function renderMarkdown(table: Table): string {
  const cells = texts(table);
  const row = (r: string[]) => `| ${r.join(" | ")} |`;
  const align = `|${table.header.map((_, i) => (i === 0 ? " --- " : " ---: ")).join("|")}|`;
  const notes = (table.notes ?? []).map((note) => `- ${note}`);
  return [
    `**${table.title}**`,
    "",
    row(cells[0]),
    align,
    ...cells.slice(1).map(row),
    ...(notes.length > 0 ? ["", ...notes] : []),
  ].join("\n");
}

export type { Cell, Table };
export { mb, num, renderMarkdown, renderText };
