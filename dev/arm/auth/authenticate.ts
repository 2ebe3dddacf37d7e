/**
 * Bearer token checks in the order ARM makes them, with ARM's 401 codes and its WWW-Authenticate
 * challenge. Audiences: the public ARM audiences plus this emulator's own URL (older SDK clients
 * ask for `${endpoint}/.default`, so pointing them at the emulator makes that their audience).
 */
import { ArmError } from '../core/arm-error.js';
import type { TokenClaims, TokenSigner } from './jwt.js';

const publicAudiences = [
  'https://management.core.windows.net/',
  'https://management.core.windows.net',
  'https://management.azure.com/',
  'https://management.azure.com',
];

function challenge(description: string): Record<string, string> {
  return {
    'www-authenticate': `Bearer authorization_uri="https://login.windows.net/", error="invalid_token", error_description="${description}"`,
  };
}

export function authenticate(
  authorization: string | undefined,
  signer: TokenSigner,
  options: { tenantId: string; endpoint: string; now: number },
): TokenClaims {
  if (authorization === undefined || authorization.trim() === '') {
    throw new ArmError(
      401,
      'AuthenticationFailed',
      "Authentication failed. The 'Authorization' header is missing.",
      {
        headers: challenge("The authentication failed because of missing 'Authorization' header."),
      },
    );
  }
  const match = /^Bearer\s+(\S+)$/i.exec(authorization.trim());
  if (match === null) {
    throw new ArmError(
      401,
      'AuthenticationFailed',
      "Authentication failed. The 'Authorization' header is provided in an invalid format.",
      { headers: challenge("The authentication failed because of invalid 'Authorization' header format.") },
    );
  }
  const claims = signer.verify(match[1] as string);
  if (claims === undefined) {
    throw new ArmError(401, 'InvalidAuthenticationToken', 'The access token is invalid.', {
      headers: challenge('The access token is invalid.'),
    });
  }
  const nowSeconds = Math.floor(options.now / 1000);
  if (claims.exp <= nowSeconds) {
    const expiry = new Date(claims.exp * 1000).toISOString();
    const current = new Date(options.now).toISOString();
    throw new ArmError(
      401,
      'ExpiredAuthenticationToken',
      `The access token expiry UTC time '${expiry}' is earlier than current UTC time '${current}'.`,
      { headers: challenge('The access token has expired.') },
    );
  }
  const allowed = [...publicAudiences, options.endpoint, `${options.endpoint}/`];
  if (!allowed.includes(claims.aud)) {
    throw new ArmError(
      401,
      'InvalidAuthenticationTokenAudience',
      `The access token has been obtained for wrong audience or resource '${claims.aud}'. It should exactly match with one of the allowed audiences ${allowed.map((a) => `'${a}'`).join(',')}.`,
      { headers: challenge('The access token audience is invalid.') },
    );
  }
  if (claims.tid !== options.tenantId) {
    throw new ArmError(
      401,
      'InvalidAuthenticationTokenTenant',
      `The access token is from the wrong issuer '${claims.iss}'. It must match the tenant 'https://sts.windows.net/${options.tenantId}/' associated with this subscription. Please use the authority (URL) 'https://login.windows.net/${options.tenantId}' to get the token.`,
      { headers: challenge('The access token is from the wrong issuer.') },
    );
  }
  return claims;
}
