/** Reads a variable the stack sets; a missing one is a deployment mistake, named in the error. */
export function requiredEnvironment(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`environment variable ${name} is not set`);
  return value;
}
