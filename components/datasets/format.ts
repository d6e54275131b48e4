/** Display helpers shared by the dataset pages (no React, no server code). */

const MB = 1024 * 1024;

/** "230 MB", "1.4 MB", "812 KB" (same wording as the server's upload errors). */
export function formatFileSize(bytes: number, other?: number): string {
  if (bytes < 1024) return `${bytes} bytes`;
  if (bytes < MB) return `${Math.round(bytes / 1024)} KB`;
  const mb = bytes / MB;
  let digits = mb < 10 ? 1 : 0;
  if (other !== undefined && other !== bytes) {
    while (digits < 3 && mb.toFixed(digits) === (other / MB).toFixed(digits)) digits++;
  }
  return `${Number(mb.toFixed(digits)).toString()} MB`;
}

/** The message shown before uploading a file over the limit (the server says the same). */
export function tooLargeMessage(sizeBytes: number, maxBytes: number): string {
  return `The file is ${formatFileSize(sizeBytes, maxBytes)}; the limit is ${formatFileSize(maxBytes, sizeBytes)}.`;
}

/** 0.2654 → "26.5 %"; null → "—". */
export function formatRate(rate: number | null | undefined, digits = 1): string {
  if (rate === null || rate === undefined || Number.isNaN(rate)) return "—";
  return `${(rate * 100).toFixed(digits)} %`;
}

export function formatCount(n: number): string {
  return n.toLocaleString("en-US");
}

/** A dataset name from a file name: "telco-customer-churn.csv" → "telco-customer-churn". */
export function datasetNameFromFile(fileName: string): string {
  const base = fileName.replace(/\.(csv|txt|tsv)$/i, "").trim();
  return (base || "Customers").slice(0, 100);
}
