/** Reports: the executive PDF made by the generate-report durable function, listed and downloaded. */

export { pdfText, renderReportPdf } from "./render-pdf";
export { collectReportData, type ReportData } from "./report-data";
export * from "./reports";
