import { Type, type Static } from 'typebox';
import { ROLES, type User } from '../../auth/index.ts';
import { iso, IsoDate, OneOf, Nullable, NullableIsoDate } from './common.ts';

export const RoleSchema = OneOf(ROLES);

export const UserSchema = Type.Object(
  {
    username: Type.String(),
    role: Type.String(),
    first_name: Type.String(),
    last_name: Type.String(),
    email: Type.String(),
    created_at: IsoDate,
    last_login: NullableIsoDate,
  },
  { $id: 'User' },
);
export type UserJson = Static<typeof UserSchema>;
export const UserCollection = Type.Object({ users: Type.Array(Type.Ref('User')), total_entries: Type.Integer() }, { $id: 'UserCollection' });

export const Me = Type.Object(
  { user: Type.Ref('User'), auth: OneOf(['session', 'token'] as const), csrf_token: Nullable(Type.String({ description: 'Send it as X-CSRF-Token on every write made with the session cookie' })) },
  { $id: 'Me' },
);

export const CreatedToken = Type.Object(
  { name: Type.String(), token: Type.String({ description: 'Shown once; only its hash is stored' }), expires_at: NullableIsoDate },
  { $id: 'CreatedToken' },
);

export const ApiTokenSchema = Type.Object(
  { name: Type.String(), created_at: IsoDate, expires_at: NullableIsoDate, last_used_at: NullableIsoDate },
  { $id: 'ApiToken', description: 'A bearer token of the caller; the token itself is never shown again' },
);
export const ApiTokenCollection = Type.Object({ tokens: Type.Array(Type.Ref('ApiToken')), total_entries: Type.Integer() }, { $id: 'ApiTokenCollection' });
export const TokenNameParams = Type.Object({ name: Type.String({ minLength: 1, maxLength: 64 }) });

const Username = Type.String({ minLength: 1, maxLength: 64 });
const Password = Type.String({ minLength: 1, maxLength: 1024 });
export const LoginBody = Type.Object({ username: Username, password: Password }, { additionalProperties: false });
export const TokenBody = Type.Object(
  { name: Type.String({ minLength: 1, maxLength: 64 }), expires_in_days: Type.Optional(Type.Integer({ minimum: 1, maximum: 3650 })) },
  { additionalProperties: false },
);
export const CreateUserBody = Type.Object(
  {
    username: Username,
    password: Password,
    role: RoleSchema,
    first_name: Type.Optional(Type.String({ maxLength: 250 })),
    last_name: Type.Optional(Type.String({ maxLength: 250 })),
    email: Type.Optional(Type.String({ maxLength: 250 })),
  },
  { additionalProperties: false },
);
export const UsernameParams = Type.Object({ username: Username });

export const authSchemas = [UserSchema, UserCollection, Me, CreatedToken, ApiTokenSchema, ApiTokenCollection];

export function toUserJson(user: User): UserJson {
  return {
    username: user.username,
    role: user.role,
    first_name: user.firstName,
    last_name: user.lastName,
    email: user.email,
    created_at: new Date(user.createdAt).toISOString(),
    last_login: iso(user.lastLogin),
  };
}
