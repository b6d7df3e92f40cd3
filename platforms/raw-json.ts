// The exact JSON text of one part of a platform's answer (one comment in a page of comments),
// so evidence keeps the characters the platform sent instead of a re-serialised copy.

import { findNodeAtLocation, parseTree, type Node } from 'jsonc-parser';

export type JsonPath = (string | number)[];

export class PlatformJsonText {
  private constructor(
    readonly text: string,
    /** The parsed answer, for validation with zod. */
    readonly value: unknown,
    private readonly tree: Node,
  ) {}

  /** Parses strictly (JSON.parse): jsonc-parser alone would accept comments and trailing commas. Throws SyntaxError. */
  static parse(text: string): PlatformJsonText {
    const value: unknown = JSON.parse(text);
    const tree = parseTree(text);
    if (!tree) throw new SyntaxError('empty JSON text');
    return new PlatformJsonText(text, value, tree);
  }

  /** The exact text of the value at `path`, e.g. `['data', 3]`; undefined when there is none. */
  slice(path: JsonPath): string | undefined {
    const node = findNodeAtLocation(this.tree, path);
    return node ? this.text.slice(node.offset, node.offset + node.length) : undefined;
  }

  /** Like `slice`, for a value the caller has already validated as present. */
  sliceOrThrow(path: JsonPath): string {
    const found = this.slice(path);
    if (found === undefined) throw new Error(`no JSON value at ${path.join('.')}`);
    return found;
  }
}

/** "data.3.from.id: Required" — a zod issue path as a person reads it. */
export function describeZodIssues(issues: { path: (string | number)[]; message: string }[]): string {
  return issues
    .slice(0, 3)
    .map((i) => `${i.path.length ? i.path.join('.') : '(body)'}: ${i.message}`)
    .join('; ');
}
