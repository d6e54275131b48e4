/** A model's parameters as a definition list; nested objects are flattened to "a.b" keys. */
export function ParameterList({ params }: { params: Record<string, unknown> }) {
  const entries: [string, string][] = [];
  const walk = (value: unknown, key: string) => {
    if (value !== null && typeof value === "object" && !Array.isArray(value)) {
      for (const [k, v] of Object.entries(value)) walk(v, key ? `${key}.${k}` : k);
    } else {
      entries.push([key, Array.isArray(value) ? value.join(", ") : String(value)]);
    }
  };
  walk(params, "");
  if (entries.length === 0) return <p className="text-muted-foreground text-sm">No parameters recorded.</p>;
  return (
    <dl className="grid grid-cols-1 gap-x-6 gap-y-1 text-sm sm:grid-cols-[auto_1fr]">
      {entries.map(([key, value]) => (
        <div key={key} className="contents">
          <dt className="truncate text-muted-foreground" title={key}>
            {key}
          </dt>
          <dd className="break-all font-mono text-xs sm:text-sm">{value}</dd>
        </div>
      ))}
    </dl>
  );
}
