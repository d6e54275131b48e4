"use client";

import { CurveChart } from "@/components/charts/curve-chart";
import type { QiniPoint } from "@/lib/uplift/qini";

const share = (v: number) => `${Math.round(v * 100)} %`;
const customers = (v: number) => (Math.abs(v) >= 10 ? v.toFixed(0) : v.toFixed(1));

/**
 * The Qini curve: extra customers kept (treated retained minus the hold-out's, scaled) when the top
 * share by predicted uplift is contacted, against picking the same number at random.
 */
export function QiniChart({ points }: { points: QiniPoint[] }) {
  return (
    <CurveChart
      title="Qini curve: extra customers kept by contacting the top share by predicted uplift, against random"
      xLabel="Share of customers contacted"
      yLabel="Extra customers kept"
      formatX={share}
      formatY={customers}
      series={[
        {
          name: "Ranked by the uplift model",
          points: points.map((p) => ({
            x: p.share,
            y: p.gain,
            note: `${p.contacted.toLocaleString("en-US")} contacted`,
          })),
        },
        {
          name: "Picked at random",
          points: points.map((p) => ({ x: p.share, y: p.random })),
        },
      ]}
    />
  );
}
