const MB = 1024 * 1024;

/**
 * "230 MB", "1.4 MB", "812 KB". With `other` (a size it is compared with), one more decimal is
 * shown when both would otherwise read the same ("200.4 MB; the limit is 200 MB").
 */
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
