/**
 * Resolves when a writable can take more data, or can never again (closed or failed). Unlike
 * racing `events.once` calls, it leaves no listener behind, so a long write does not pile
 * them up. Example: `if (!out.write(text)) await waitForDrain(out);`
 */
export function waitForDrain(stream: NodeJS.WritableStream): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      stream.off("drain", done);
      stream.off("close", done);
      stream.off("error", done);
      resolve();
    };
    stream.on("drain", done);
    stream.on("close", done);
    stream.on("error", done);
  });
}
