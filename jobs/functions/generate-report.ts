import { z } from "zod";
import {
  collectReportStep,
  failReport,
  REPORT_REQUESTED_EVENT,
  type ReportData,
  renderReportStep,
} from "@/server/services/reports";
import { defineDurableFunction } from "../define";
import { isJobCancelled } from "../errors";
import type { Json } from "../types";

export { REPORT_REQUESTED_EVENT };

/**
 * The executive PDF: collect (every number, from the analytics services, stored as the step's JSON
 * result) → render (pdfkit, written to storage under the report's own key, so a retry overwrites
 * it). Progress is kept on the report row and published on the dataset's channel.
 */
export const generateReport = defineDurableFunction({
  id: "generate-report",
  event: REPORT_REQUESTED_EVENT,
  parse: (data) => z.object({ reportId: z.number().int().positive() }).parse(data),
  steps: () => [
    {
      id: "collect",
      label: "Gathering the figures",
      weight: 2,
      run: async ({ db, data }) => (await collectReportStep(db, data.reportId)) as unknown as Json,
    },
    {
      id: "render",
      label: "Drawing the PDF",
      weight: 1,
      run: async ({ db, data, results }) => ({
        ...(await renderReportStep(db, data.reportId, results.collect as unknown as ReportData)),
      }),
    },
  ],
  onFailure: ({ db, data, error }) => failReport(db, data.reportId, error, isJobCancelled(error)),
});
