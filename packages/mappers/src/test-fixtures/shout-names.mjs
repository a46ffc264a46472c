// A javascript mapper for the tests: changes data in place, drops minors, and (as `greet`)
// returns new data from a promise.
export default function shoutNames(data, context) {
  if (data.age < 18) return null;
  data.name = String(data.name).toUpperCase();
  data.stream_name = context.stream;
}

export async function greet(data) {
  return { id: data.id, greeting: `hi ${data.name}` };
}
