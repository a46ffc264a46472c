import { streamKey } from "@weir/protocol";

type Named = { readonly name: string; readonly namespace?: string | null | undefined };

/** A stream as users read it: `public.users`, or `users` without a namespace. */
export const streamLabel = (stream: Named): string =>
  stream.namespace ? `${stream.namespace}.${stream.name}` : stream.name;

/** The stream a record belongs to, as a map key (see `streamKey`). */
export const recordStreamKey = (record: {
  readonly stream: string;
  readonly namespace?: string | null | undefined;
}): string => streamKey({ name: record.stream, namespace: record.namespace });
