/** One line of `supernas doctor`: a backend, a data set or a tool, and how to get it. */
export interface DoctorEntry {
  /** Stable key for scripts: `tensorflow-cuda`, `native`, `fashion-mnist-debian`, `pytorch`, ... */
  readonly id: string;
  readonly name: string;
  /** For a backend: `--backend auto` may pick it; for data and tools: found and working. */
  readonly usable: boolean;
  /** What it is here (version, adapter, path), or why it is not usable. */
  readonly detail: string;
  /** The command that makes it usable; null when it already is. */
  readonly fix: string | null;
  /** Facts for scripts (versions, ISA, adapter); the keys depend on `id`. */
  readonly info: Readonly<Record<string, string | number | boolean | null>>;
}
