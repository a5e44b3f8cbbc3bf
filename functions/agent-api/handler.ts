// Placeholder until the agent-api service lands; replaced by a middy handler over shared/services.
export const handler = async (): Promise<never> => {
  throw new Error('agent-api: not implemented yet');
};
