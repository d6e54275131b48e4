import { Badge } from "@/components/ui/badge";
import { formatRisk } from "@/lib/retention";
import { cn } from "@/lib/utils";
import { RISK_LEVEL_BADGES, RISK_LEVEL_COLORS, RISK_LEVEL_LABELS, type RiskLevelName } from "./risk-level";

const CX = 100;
const CY = 100;
const R = 80;

/** Point on the semicircle for t in 0..1 (0 = left end, 1 = right end). */
function point(t: number, r = R): [number, number] {
  const angle = Math.PI * (1 - t);
  return [CX + r * Math.cos(angle), CY - r * Math.sin(angle)];
}

function arc(t0: number, t1: number): string {
  const [x0, y0] = point(t0);
  const [x1, y1] = point(t1);
  return `M ${x0.toFixed(2)} ${y0.toFixed(2)} A ${R} ${R} 0 0 1 ${x1.toFixed(2)} ${y1.toFixed(2)}`;
}

const clamp = (t: number) => Math.min(1, Math.max(0, t));

/**
 * The churn risk as a semicircle gauge with the low / medium / high bands from settings. The
 * value and the level are always written out (and exposed as a meter), so colour is never the
 * only signal.
 */
export function RiskGauge({
  riskScore,
  riskLevel,
  bands,
  caption,
  className,
}: {
  riskScore: number;
  riskLevel: RiskLevelName;
  bands: { medium: number; high: number };
  /** e.g. "model v7 · gradient boosting". */
  caption?: string;
  className?: string;
}) {
  const t = clamp(riskScore);
  const percent = formatRisk(riskScore);
  const label = RISK_LEVEL_LABELS[riskLevel];
  return (
    <div className={cn("flex flex-col items-center", className)} data-testid="risk-gauge">
      <meter
        className="sr-only"
        aria-label="Churn risk"
        aria-valuetext={`${percent}, ${label.toLowerCase()}`}
        min={0}
        max={1}
        low={bands.medium}
        high={bands.high}
        optimum={0}
        value={t}
      >
        {percent}
      </meter>
      <GaugeDial riskScore={t} riskLevel={riskLevel} bands={bands} className="w-full max-w-64" />
      <p className="-mt-1 font-semibold text-4xl tabular-nums tracking-tight" data-testid="risk-score">
        {percent}
      </p>
      <Badge variant={RISK_LEVEL_BADGES[riskLevel]} className="mt-1" data-testid="risk-level">
        {label}
      </Badge>
      {caption && <p className="mt-2 text-muted-foreground text-xs">{caption}</p>}
    </div>
  );
}

const TRACK = { fill: "none", strokeWidth: 14, strokeLinecap: "butt" as const };

/** The semicircle itself (decorative: the score and level are always written beside it). */
export function GaugeDial({
  riskScore,
  riskLevel,
  bands,
  className,
}: {
  riskScore: number;
  riskLevel: RiskLevelName;
  bands: { medium: number; high: number };
  className?: string;
}) {
  const t = clamp(riskScore);
  const [nx, ny] = point(t, R - 18);
  return (
    <svg viewBox="0 0 200 112" className={className} aria-hidden="true">
      <path d={arc(0, bands.medium)} stroke={RISK_LEVEL_COLORS.low} strokeOpacity={0.3} {...TRACK} />
      <path
        d={arc(bands.medium, bands.high)}
        stroke={RISK_LEVEL_COLORS.medium}
        strokeOpacity={0.3}
        {...TRACK}
      />
      <path d={arc(bands.high, 1)} stroke={RISK_LEVEL_COLORS.high} strokeOpacity={0.3} {...TRACK} />
      {t > 0.002 && <path d={arc(0, t)} stroke={RISK_LEVEL_COLORS[riskLevel]} {...TRACK} strokeWidth={6} />}
      <line
        x1={CX}
        y1={CY}
        x2={nx}
        y2={ny}
        stroke="var(--foreground)"
        strokeWidth={3}
        strokeLinecap="round"
        className="transition-all duration-300 motion-reduce:transition-none"
      />
      <circle cx={CX} cy={CY} r={5} fill="var(--foreground)" />
    </svg>
  );
}
