import {
  AdminAddUserToGroupCommand,
  AdminCreateUserCommand,
  AdminDisableUserCommand,
  AdminEnableUserCommand,
  AdminGetUserCommand,
  AdminListGroupsForUserCommand,
  AdminRemoveUserFromGroupCommand,
  AdminUserGlobalSignOutCommand,
  CognitoIdentityProviderClient,
  UsernameExistsException,
  type AttributeType,
} from '@aws-sdk/client-cognito-identity-provider';
import { ROLES, type Role } from '../config/schema.js';
import { TransientError } from '../services/errors.js';
import type { AgentIdentities } from '../services/ports.js';
import { requiredEnvironment } from './environment.js';

/**
 * The agents' sign-in accounts in the Cognito user pool. The pool signs in by email, so a new
 * user is created with the email as its name; every later call names the user by its `sub` (which
 * Cognito accepts for such pools and which the user cannot change). Groups are the desk's roles
 * (the stack creates one group per role).
 */
export class CognitoIdentities implements AgentIdentities {
  constructor(
    private readonly client: CognitoIdentityProviderClient,
    private readonly userPoolId: string,
  ) {}

  /**
   * Creates the user with a verified email and lets Cognito mail the invitation (a temporary
   * password, changed at first sign-in); when the email already has a user, that user is reused.
   */
  async provision(agent: { email: string; name: string }): Promise<{ sub: string }> {
    try {
      const created = await this.call(() => this.client.send(
        new AdminCreateUserCommand({
          UserPoolId: this.userPoolId,
          Username: agent.email,
          UserAttributes: [
            { Name: 'email', Value: agent.email },
            { Name: 'email_verified', Value: 'true' },
            { Name: 'name', Value: agent.name },
          ],
          DesiredDeliveryMediums: ['EMAIL'],
        }),
      ));
      return { sub: subOf(created.User?.Attributes, agent.email) };
    } catch (error) {
      if (!(error instanceof UsernameExistsException)) throw error;
      const existing = await this.call(() => this.client.send(new AdminGetUserCommand({ UserPoolId: this.userPoolId, Username: agent.email })));
      return { sub: subOf(existing.UserAttributes, agent.email) };
    }
  }

  async setRoles(sub: string, roles: readonly Role[]): Promise<void> {
    const current = new Set<string>();
    let nextToken: string | undefined;
    do {
      const page = await this.call(() => this.client.send(new AdminListGroupsForUserCommand({ UserPoolId: this.userPoolId, Username: sub, NextToken: nextToken })));
      for (const group of page.Groups ?? []) if (group.GroupName) current.add(group.GroupName);
      nextToken = page.NextToken;
    } while (nextToken);
    for (const role of roles) {
      if (!current.has(role)) await this.call(() => this.client.send(new AdminAddUserToGroupCommand({ UserPoolId: this.userPoolId, Username: sub, GroupName: role })));
    }
    // Only the desk's role groups are managed here; any other group an operator made is left alone.
    for (const group of current) {
      if ((ROLES as readonly string[]).includes(group) && !roles.includes(group as Role)) {
        await this.call(() => this.client.send(new AdminRemoveUserFromGroupCommand({ UserPoolId: this.userPoolId, Username: sub, GroupName: group })));
      }
    }
  }

  async setEnabled(sub: string, enabled: boolean): Promise<void> {
    if (enabled) {
      await this.call(() => this.client.send(new AdminEnableUserCommand({ UserPoolId: this.userPoolId, Username: sub })));
      return;
    }
    await this.call(() => this.client.send(new AdminDisableUserCommand({ UserPoolId: this.userPoolId, Username: sub })));
    // Access tokens already issued stay valid until they expire (at most an hour), but the API
    // refuses a disabled agent at once; revoking refresh tokens stops new ones.
    await this.call(() => this.client.send(new AdminUserGlobalSignOutCommand({ UserPoolId: this.userPoolId, Username: sub })));
  }

  private async call<T>(send: () => Promise<T>): Promise<T> {
    try {
      return await send();
    } catch (error) {
      const name = (error as { name?: string }).name ?? '';
      if (name === 'TooManyRequestsException' || name === 'InternalErrorException' || name === 'LimitExceededException') {
        throw new TransientError(`Cognito refused for now (${name})`, 'cognito', { cause: error });
      }
      throw error;
    }
  }
}

function subOf(attributes: AttributeType[] | undefined, email: string): string {
  const sub = attributes?.find((attribute) => attribute.Name === 'sub')?.Value;
  if (!sub) throw new Error(`Cognito returned no sub for ${email}`);
  return sub;
}

/** The pool the stack names in USER_POOL_ID (an `awsRuntime` part of the agent API). */
export function cognitoIdentities(): AgentIdentities {
  return new CognitoIdentities(new CognitoIdentityProviderClient({}), requiredEnvironment('USER_POOL_ID'));
}
