// Javascript mappers that misbehave, one per export, for the tests of the worker host.
export function throws(data) {
  if (data.id === 2) throw new TypeError("no id 2 here");
  return data;
}

export function returnsNumber() {
  return 42;
}

export function hangs() {
  return new Promise(() => undefined);
}

export const notAFunction = 42;

export function exits() {
  process.exit(3);
}

export function unclonable(data) {
  return { ...data, callback: () => 1 };
}
