import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";

/** The first rows of a file as uploaded. Every name and value is rendered as text. */
export function PreviewRowsTable({ columns, rows }: { columns: string[]; rows: string[][] }) {
  return (
    <div className="max-h-[28rem] overflow-auto rounded-md border">
      <Table>
        <TableHeader className="sticky top-0 bg-card">
          <TableRow>
            <TableHead className="w-12 text-right text-muted-foreground">#</TableHead>
            {columns.map((column) => (
              <TableHead key={column} className="whitespace-nowrap">
                {column}
              </TableHead>
            ))}
          </TableRow>
        </TableHeader>
        <TableBody>
          {rows.map((row, i) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: rows are fixed file positions
            <TableRow key={i}>
              <TableCell className="text-right text-muted-foreground tabular-nums">{i + 1}</TableCell>
              {row.map((value, j) => (
                <TableCell
                  // biome-ignore lint/suspicious/noArrayIndexKey: cells are fixed column positions
                  key={j}
                  className="max-w-56 truncate whitespace-nowrap font-mono text-xs"
                  title={value}
                >
                  {value === "" ? <span className="text-muted-foreground italic">empty</span> : value}
                </TableCell>
              ))}
            </TableRow>
          ))}
        </TableBody>
      </Table>
    </div>
  );
}
