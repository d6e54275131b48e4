/**
 * Byte-level checks run on the raw upload before and while csv-parse reads it: binary files
 * renamed .csv (magic numbers, NUL bytes), UTF-16, invalid UTF-8 and the size limit.
 * Written in-house because TextDecoder's fatal mode says that a file is not UTF-8 but not where;
 * users need the line. The UTF-8 rules are the well-formed byte sequences of Unicode 15, table 3-7.
 * It works chunk by chunk (a multi-byte character may straddle two chunks) so a 200 MB upload is
 * checked as it streams.
 */
import { DatasetError } from "./errors";

/**
 * Known file signatures, checked at offset 0. Only signatures that no plausible CSV header starts
 * with (control bytes, invalid UTF-8, or long exact strings); other binaries are caught by NUL bytes.
 */
const SIGNATURES: { bytes: number[]; what: string; hint: string }[] = [
  {
    bytes: [0x50, 0x4b, 0x03, 0x04],
    what: "a ZIP archive (an Excel .xlsx workbook or a zipped file)",
    hint: 'In Excel use File > Save As > "CSV UTF-8"; unzip an archive first.',
  },
  { bytes: [0x50, 0x4b, 0x05, 0x06], what: "an empty ZIP archive", hint: "Export the data as CSV." },
  {
    bytes: [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1],
    what: "an old Excel .xls workbook (or another Office document)",
    hint: 'In Excel use File > Save As > "CSV UTF-8".',
  },
  { bytes: [0x25, 0x50, 0x44, 0x46], what: "a PDF document", hint: "Export the table as CSV instead." },
  { bytes: [0x89, 0x50, 0x4e, 0x47], what: "a PNG image", hint: "Upload the data as CSV." },
  { bytes: [0xff, 0xd8, 0xff], what: "a JPEG image", hint: "Upload the data as CSV." },
  { bytes: [0x47, 0x49, 0x46, 0x38], what: "a GIF image", hint: "Upload the data as CSV." },
  { bytes: [0x1f, 0x8b], what: "a gzip-compressed file", hint: "Decompress it and upload the CSV inside." },
  { bytes: [0x37, 0x7a, 0xbc, 0xaf], what: "a 7-Zip archive", hint: "Extract it and upload the CSV inside." },
  { bytes: [0x52, 0x61, 0x72, 0x21], what: "a RAR archive", hint: "Extract it and upload the CSV inside." },
  { bytes: [0x50, 0x41, 0x52, 0x31], what: "a Parquet file", hint: "Convert it to CSV first." },
  {
    bytes: [...new TextEncoder().encode("SQLite format 3"), 0],
    what: "an SQLite database",
    hint: "Export a table as CSV.",
  },
  { bytes: [0x7f, 0x45, 0x4c, 0x46], what: "an executable program", hint: "Upload a CSV file." },
];

const HEAD_BYTES = 16;

export interface ByteInspectorOptions {
  /** Reject the file once it grows past this many bytes. */
  maxBytes: number;
}

export function formatBytes(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${Math.round((bytes / (1024 * 1024)) * 10) / 10} MB`;
  if (bytes >= 1024) return `${Math.round((bytes / 1024) * 10) / 10} KB`;
  return `${bytes} bytes`;
}

export class ByteInspector {
  private readonly maxBytes: number;
  /** Bytes received so far. */
  bytes = 0;
  /** Bytes scanned so far (scanning waits until the signature is known). */
  private scanned = 0;
  /** Physical line of the next byte (1-based). */
  line = 1;
  private lastWasCR = false;
  private head: number[] = [];
  private headChecked = false;
  private pending: Uint8Array[] = [];
  /** Continuation bytes still expected by the current UTF-8 sequence. */
  private need = 0;
  /** Allowed range of the next continuation byte (narrower after E0, ED, F0, F4). */
  private lower = 0x80;
  private upper = 0xbf;
  private seqStart = 0;
  private seqLine = 1;
  private seqLead = 0;

  constructor(options: ByteInspectorOptions) {
    this.maxBytes = options.maxBytes;
  }

  /** Checks the next chunk; throws a DatasetError at the first problem. */
  feed(chunk: Uint8Array): void {
    this.bytes += chunk.length;
    if (this.bytes > this.maxBytes) {
      throw new DatasetError(
        "FILE_TOO_LARGE",
        `The file is larger than the ${formatBytes(this.maxBytes)} limit. Split it or remove unused columns.`,
        { byteOffset: this.maxBytes },
      );
    }
    if (!this.headChecked) {
      // Signatures are recognised before any other check, even when chunks are tiny, so a PNG
      // is reported as a PNG and not as "invalid UTF-8 at byte 0".
      for (let i = 0; i < chunk.length && this.head.length < HEAD_BYTES; i++) this.head.push(chunk[i]);
      this.pending.push(chunk);
      if (this.head.length < HEAD_BYTES) return;
      this.checkHead();
      this.flushPending();
      return;
    }
    this.scan(chunk);
  }

  /** Call once after the last chunk. */
  finish(): void {
    if (!this.headChecked) {
      this.checkHead();
      this.flushPending();
    }
    if (this.need > 0) this.invalid(this.seqStart, this.seqLine, this.seqLead);
  }

  private flushPending(): void {
    const pending = this.pending;
    this.pending = [];
    for (const chunk of pending) this.scan(chunk);
  }

  private checkHead(): void {
    this.headChecked = true;
    const head = this.head;
    const startsWith = (sig: number[]) => sig.length <= head.length && sig.every((b, i) => head[i] === b);
    if (startsWith([0xff, 0xfe]) || startsWith([0xfe, 0xff])) {
      throw new DatasetError(
        "UNSUPPORTED_ENCODING",
        'The file is UTF-16 text. Save it as "CSV UTF-8" (in Excel: File > Save As > CSV UTF-8) and upload it again.',
        { byteOffset: 0 },
      );
    }
    for (const sig of SIGNATURES) {
      if (startsWith(sig.bytes)) {
        throw new DatasetError("BINARY_FILE", `This is ${sig.what}, not a CSV file. ${sig.hint}`, {
          byteOffset: 0,
        });
      }
    }
    // UTF-16 without a byte order mark: ASCII text with a NUL after (or before) every character.
    if (head.length >= 8) {
      let evenNul = 0;
      let oddNul = 0;
      for (let i = 0; i < head.length; i++) {
        if (head[i] === 0) {
          if (i % 2 === 0) evenNul++;
          else oddNul++;
        }
      }
      const half = Math.floor(head.length / 2);
      if (oddNul === half || evenNul === half) {
        throw new DatasetError(
          "UNSUPPORTED_ENCODING",
          'The file looks like UTF-16 text. Save it as "CSV UTF-8" and upload it again.',
          { byteOffset: 0 },
        );
      }
    }
  }

  private scan(chunk: Uint8Array): void {
    const base = this.scanned;
    let line = this.line;
    let lastWasCR = this.lastWasCR;
    let need = this.need;
    let lower = this.lower;
    let upper = this.upper;
    for (let i = 0; i < chunk.length; i++) {
      const b = chunk[i];
      if (need > 0) {
        if (b < lower || b > upper) {
          this.line = line;
          this.invalid(this.seqStart, this.seqLine, this.seqLead);
        }
        need--;
        lower = 0x80;
        upper = 0xbf;
        continue;
      }
      if (b < 0x80) {
        if (b === 0x0a) {
          if (!lastWasCR) line++;
          lastWasCR = false;
        } else if (b === 0x0d) {
          line++;
          lastWasCR = true;
        } else {
          lastWasCR = false;
          if (b === 0) {
            throw new DatasetError(
              "BINARY_FILE",
              `Line ${line} contains a NUL byte (byte offset ${base + i}): this looks like a binary file, not a CSV text file.`,
              { line, byteOffset: base + i },
            );
          }
        }
        continue;
      }
      lastWasCR = false;
      this.seqStart = base + i;
      this.seqLine = line;
      this.seqLead = b;
      if (b >= 0xc2 && b <= 0xdf) {
        need = 1;
      } else if (b >= 0xe0 && b <= 0xef) {
        need = 2;
        if (b === 0xe0) lower = 0xa0;
        else if (b === 0xed) upper = 0x9f;
      } else if (b >= 0xf0 && b <= 0xf4) {
        need = 3;
        if (b === 0xf0) lower = 0x90;
        else if (b === 0xf4) upper = 0x8f;
      } else {
        this.invalid(base + i, line, b);
      }
    }
    this.line = line;
    this.lastWasCR = lastWasCR;
    this.need = need;
    this.lower = lower;
    this.upper = upper;
    this.scanned += chunk.length;
  }

  private invalid(byteOffset: number, line: number, lead: number): never {
    throw new DatasetError(
      "INVALID_UTF8",
      `Line ${line} is not valid UTF-8 text (byte 0x${hex(lead)} at byte offset ${byteOffset}). ` +
        'The file was probably saved in another encoding (e.g. Windows-1252); save it as "CSV UTF-8" and upload it again.',
      { line, byteOffset },
    );
  }
}

function hex(b: number): string {
  return b.toString(16).toUpperCase().padStart(2, "0");
}
