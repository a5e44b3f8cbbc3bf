// Placeholder until the form-intake service lands; replaced by a middy handler over shared/services.
export const handler = async (): Promise<never> => {
  throw new Error('form-intake: not implemented yet');
};
