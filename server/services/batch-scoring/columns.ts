/**
 * How an uploaded file's header lines up with a model's inputs. Missing inputs are allowed (the
 * model imputes them, as in training, and the preview lists them); extra columns are ignored and
 * listed; the target column may be present and is ignored. A file with none of the model's inputs
 * would score every row as the same imputed "average customer", so it is refused.
 */
import { BatchFileError } from "./errors";

export interface ModelColumns {
  /** The model's input columns (original names), in the model's order. */
  inputs: readonly string[];
  target: string | null;
  /** The training dataset's identifier column, if it had one. */
  identifier: string | null;
}

export interface ColumnMatch {
  /** Model inputs present in the file, in the model's order. */
  used: string[];
  /** Model inputs the file lacks: imputed for every row. */
  missing: string[];
  /** File columns the model does not use (the identifier and target included), in file order. */
  ignored: string[];
  /** The target column, when the file has it (ignored). */
  target: string | null;
}

export function matchColumns(header: readonly string[], model: ModelColumns): ColumnMatch {
  const present = new Set(header);
  const inputs = new Set(model.inputs);
  const used = model.inputs.filter((name) => present.has(name));
  const missing = model.inputs.filter((name) => !present.has(name));
  const ignored = header.filter((name) => !inputs.has(name));
  const target = model.target !== null && present.has(model.target) ? model.target : null;
  return { used, missing, ignored, target };
}

/** Throws when the file has none of the model's inputs, naming a few it expected. */
export function assertUsable(match: ColumnMatch, model: ModelColumns): void {
  if (match.used.length > 0) return;
  const expected = model.inputs.slice(0, 6).join(", ");
  const more = model.inputs.length > 6 ? `, … (${model.inputs.length} in all)` : "";
  throw new BatchFileError(
    "NO_MODEL_INPUTS",
    `None of the file's columns is one the model uses, so every row would get the same score. The model expects columns such as ${expected}${more}. Check the header line and the delimiter.`,
  );
}

/**
 * Tracks, while a file streams by, which candidate columns are a usable customer id: a value on
 * every row and no value twice. Like training, the dataset's identifier column wins when the file
 * has it; otherwise the first unique column that is neither a model input nor the target.
 */
export class IdentifierFinder {
  private readonly candidates: Map<number, Set<string>>;
  private readonly header: readonly string[];
  private readonly preferred: number;

  constructor(header: readonly string[], model: ModelColumns) {
    this.header = header;
    this.preferred = model.identifier === null ? -1 : header.indexOf(model.identifier);
    const inputs = new Set(model.inputs);
    this.candidates = new Map();
    if (this.preferred >= 0) return;
    header.forEach((name, index) => {
      if (!inputs.has(name) && name !== model.target) this.candidates.set(index, new Set());
    });
  }

  add(rows: readonly (readonly string[])[]): void {
    if (this.candidates.size === 0) return;
    for (const [index, seen] of this.candidates) {
      for (const row of rows) {
        const value = row[index].trim();
        if (value === "" || seen.has(value)) {
          this.candidates.delete(index);
          break;
        }
        seen.add(value);
      }
    }
  }

  /** The identifier column's name, or null when no column identifies customers. */
  result(): string | null {
    if (this.preferred >= 0) return this.header[this.preferred];
    const first = [...this.candidates.keys()].sort((a, b) => a - b)[0];
    return first === undefined ? null : this.header[first];
  }
}
