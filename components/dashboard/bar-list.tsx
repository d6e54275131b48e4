/** Horizontal bars for a ranked list (importance, driver counts): label, bar, value. */
export function BarList({
  items,
  format,
  label,
}: {
  items: { name: string; value: number }[];
  format: (value: number) => string;
  label: string;
}) {
  const max = Math.max(...items.map((i) => i.value), 0);
  return (
    <ul aria-label={label} className="space-y-2.5">
      {items.map((item) => (
        <li key={item.name} className="grid grid-cols-[minmax(0,10rem)_1fr_auto] items-center gap-3 text-sm">
          <span className="truncate" title={item.name}>
            {item.name}
          </span>
          <span className="h-2 rounded-full bg-muted" aria-hidden="true">
            <span
              className="block h-2 rounded-full bg-primary"
              style={{ width: `${max > 0 ? (item.value / max) * 100 : 0}%` }}
            />
          </span>
          <span className="text-muted-foreground tabular-nums">{format(item.value)}</span>
        </li>
      ))}
    </ul>
  );
}
