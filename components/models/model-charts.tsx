"use client";

import { LiftBars } from "@/components/charts/lift-bars";
import {
  CalibrationChart,
  GainChart,
  PrecisionRecallChart,
  RocChart,
} from "@/components/charts/model-curves";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { Tabs, TabsContent, TabsList, TabsTrigger } from "@/components/ui/tabs";
import type { CalibrationBin, LiftRow, PrPoint, RocPoint } from "@/lib/ml/metrics";

export interface ModelCurvesInput {
  name: string;
  roc: RocPoint[];
  pr: PrPoint[];
  calibration: CalibrationBin[];
  lift: LiftRow[];
}

/** ROC, precision-recall, calibration and lift/gain of one or two models (held-out test customers). */
export function ModelCharts({
  models,
  positiveRate,
}: {
  models: ModelCurvesInput[];
  positiveRate: number | null;
}) {
  const named = <K extends keyof Omit<ModelCurvesInput, "name">>(key: K) =>
    models.map((m) => ({ name: m.name, data: m[key] }));
  return (
    <div className="grid grid-cols-1 gap-4 lg:grid-cols-2">
      <Card>
        <CardHeader>
          <CardTitle className="text-base">ROC curve</CardTitle>
          <CardDescription>
            Churners caught against loyal customers wrongly flagged, at every threshold.
          </CardDescription>
        </CardHeader>
        <CardContent>
          <RocChart series={named("roc")} />
        </CardContent>
      </Card>
      <Card>
        <CardHeader>
          <CardTitle className="text-base">Precision-recall</CardTitle>
          <CardDescription>
            How many flagged customers really churn, as more churners are found.
          </CardDescription>
        </CardHeader>
        <CardContent>
          <PrecisionRecallChart series={named("pr")} positiveRate={positiveRate} />
        </CardContent>
      </Card>
      <Card>
        <CardHeader>
          <CardTitle className="text-base">Calibration</CardTitle>
          <CardDescription>
            On the diagonal, a 30 % risk score means 30 % of such customers churn.
          </CardDescription>
        </CardHeader>
        <CardContent>
          <CalibrationChart series={named("calibration")} />
        </CardContent>
      </Card>
      <Card>
        <CardHeader>
          <CardTitle className="text-base">Lift and gain</CardTitle>
          <CardDescription>What contacting the riskiest customers first is worth, by decile.</CardDescription>
        </CardHeader>
        <CardContent>
          <Tabs defaultValue="gain">
            <TabsList className="mb-2">
              <TabsTrigger value="gain">Cumulative gain</TabsTrigger>
              <TabsTrigger value="lift">Lift by decile</TabsTrigger>
            </TabsList>
            <TabsContent value="gain">
              <GainChart series={named("lift")} />
            </TabsContent>
            <TabsContent value="lift">
              <LiftBars series={named("lift")} />
            </TabsContent>
          </Tabs>
        </CardContent>
      </Card>
    </div>
  );
}
