/** Serves a folder on 127.0.0.1 (a secure context, so WebGPU is exposed) on a free port. */
export function serveFolder(root: string): Promise<{ url: string; close(): Promise<void> }>;
