import { SupernasError } from '@supernas/errors';

/**
 * What the CLI prints for an error that reached the top, ending in a newline. A `SupernasError`
 * is bad input: one `error: <message>` line, no stack. Anything else is a bug: `error: <stack>`.
 * `verbose` prints the stack, the code and the `cause` chain for supernas errors too.
 */
export function formatCliError(error: unknown, verbose = false): string {
  if (SupernasError.isInstance(error) && !verbose) {
    return `error: ${oneLine(error.message)}\n`;
  }
  const lines = [`error: ${stackOf(error)}`];
  if (SupernasError.isInstance(error)) lines.push(`code: ${error.code}`);
  const seen = new Set<unknown>([error]);
  let cause = (error as { cause?: unknown } | null | undefined)?.cause;
  // A cause chain can loop (an error set as its own cause's cause); print each error once.
  while (cause !== undefined && !seen.has(cause)) {
    seen.add(cause);
    lines.push(`caused by: ${stackOf(cause)}`);
    cause = (cause as { cause?: unknown } | null)?.cause;
  }
  return `${lines.join('\n')}\n`;
}

function stackOf(error: unknown): string {
  return error instanceof Error ? (error.stack ?? error.message) : String(error);
}

// Messages quoting a parser or a file can carry line breaks; the user still gets one line.
function oneLine(message: string): string {
  return message.replace(/\s*\n\s*/g, ' ').trim();
}
