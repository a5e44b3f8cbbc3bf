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
} from '@aws-sdk/client-cognito-identity-provider';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { CognitoIdentities } from '../../../shared/adapters/cognito-identities.js';
import { TransientError } from '../../../shared/services/errors.js';

// No local Cognito exists: the SDK client is mocked at its send() boundary.
const cognito = mockClient(CognitoIdentityProviderClient);
const POOL = 'ap-east-1_Abc123';
const SUB = '7f6c2b1a-0d9e-4c8b-a7f6-e5d4c3b2a190';
const identities = () => new CognitoIdentities(new CognitoIdentityProviderClient({ region: 'ap-east-1', credentials: { accessKeyId: 'x', secretAccessKey: 'x' } }), POOL);

afterEach(() => cognito.reset());
// The stub sits on the client class itself: take it off for whatever runs after this file in the same process.
afterAll(() => cognito.restore());

describe('CognitoIdentities', () => {
  it('creates the user by email, verified, with an invitation mail, and returns its sub', async () => {
    cognito.on(AdminCreateUserCommand).resolves({ User: { Username: SUB, Attributes: [{ Name: 'sub', Value: SUB }, { Name: 'email', Value: 'erin@support.example.com' }] } });
    expect(await identities().provision({ email: 'erin@support.example.com', name: 'Erin Xu' })).toEqual({ sub: SUB });
    expect(cognito.commandCalls(AdminCreateUserCommand)[0]?.args[0].input).toEqual({
      UserPoolId: POOL,
      Username: 'erin@support.example.com',
      UserAttributes: [
        { Name: 'email', Value: 'erin@support.example.com' },
        { Name: 'email_verified', Value: 'true' },
        { Name: 'name', Value: 'Erin Xu' },
      ],
      DesiredDeliveryMediums: ['EMAIL'],
    });
  });

  it('reuses an existing user of that email (a retried add) and reads its sub', async () => {
    cognito.on(AdminCreateUserCommand).rejects(new UsernameExistsException({ message: 'exists', $metadata: {} }));
    cognito.on(AdminGetUserCommand).resolves({ Username: SUB, UserAttributes: [{ Name: 'sub', Value: SUB }] });
    expect(await identities().provision({ email: 'erin@support.example.com', name: 'Erin' })).toEqual({ sub: SUB });
    expect(cognito.commandCalls(AdminGetUserCommand)[0]?.args[0].input).toEqual({ UserPoolId: POOL, Username: 'erin@support.example.com' });
  });

  it('makes the role groups exactly the roles, names the user by sub, and leaves other groups alone', async () => {
    cognito
      .on(AdminListGroupsForUserCommand)
      .resolvesOnce({ Groups: [{ GroupName: 'agent' }, { GroupName: 'qa' }], NextToken: 'page-2' })
      .resolvesOnce({ Groups: [{ GroupName: 'night-shift' }] });
    cognito.on(AdminAddUserToGroupCommand).resolves({});
    cognito.on(AdminRemoveUserFromGroupCommand).resolves({});
    await identities().setRoles(SUB, ['agent', 'supervisor']);
    expect(cognito.commandCalls(AdminListGroupsForUserCommand)).toHaveLength(2);
    expect(cognito.commandCalls(AdminAddUserToGroupCommand).map((call) => call.args[0].input)).toEqual([{ UserPoolId: POOL, Username: SUB, GroupName: 'supervisor' }]);
    expect(cognito.commandCalls(AdminRemoveUserFromGroupCommand).map((call) => call.args[0].input)).toEqual([{ UserPoolId: POOL, Username: SUB, GroupName: 'qa' }]);
  });

  it('disables and signs out everywhere; enables again', async () => {
    cognito.on(AdminDisableUserCommand).resolves({});
    cognito.on(AdminUserGlobalSignOutCommand).resolves({});
    cognito.on(AdminEnableUserCommand).resolves({});
    await identities().setEnabled(SUB, false);
    expect(cognito.commandCalls(AdminDisableUserCommand)[0]?.args[0].input).toEqual({ UserPoolId: POOL, Username: SUB });
    expect(cognito.commandCalls(AdminUserGlobalSignOutCommand)[0]?.args[0].input).toEqual({ UserPoolId: POOL, Username: SUB });
    await identities().setEnabled(SUB, true);
    expect(cognito.commandCalls(AdminEnableUserCommand)).toHaveLength(1);
  });

  it('turns Cognito throttling into a transient error (503, try again) and passes other errors on', async () => {
    cognito.on(AdminEnableUserCommand).rejects(Object.assign(new Error('slow down'), { name: 'TooManyRequestsException' }));
    await expect(identities().setEnabled(SUB, true)).rejects.toBeInstanceOf(TransientError);
    cognito.on(AdminCreateUserCommand).rejects(Object.assign(new Error('bad'), { name: 'InvalidParameterException' }));
    await expect(identities().provision({ email: 'x@y.example', name: 'X' })).rejects.toThrow('bad');
  });
});
