/**
 * Errors that cross into a dynamic provider are plain `Error`s tagged by `name`: serializeFunction
 * turns an Error subclass into a function whose `super(message)` call never sets `message`, so
 * the engine would receive "undefined".
 */
export function buildTaggedError<T extends object>(
  name: string,
  message: string,
  fields: T,
  options?: { cause?: unknown },
): Error & T {
  const error = new Error(message, options);
  error.name = name;
  return Object.assign(error, fields);
}

/** Whether `error` was made by buildTaggedError with this name. */
export function isTaggedError(error: unknown, name: string): error is Error {
  return error instanceof Error && error.name === name;
}
