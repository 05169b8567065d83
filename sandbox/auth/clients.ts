// The two registered clients: the public native app `partner-console` and the confidential sandbox tooling client.

export const PARTNER_CONSOLE_CLIENT_ID = 'partner-console';
export const TOOLING_CLIENT_ID = 'sandbox-tooling';

/** Redirect URIs of the desktop app; the loopback one matches any port (RFC 8252 §7.3). */
export const PARTNER_CONSOLE_REDIRECT_URIS = [
  'com.partnerconsole.desktop:/oauth2/callback',
  'http://127.0.0.1/oauth2/callback',
] as const;

export interface ToolingCredentials {
  client_id: string;
  client_secret: string;
}

/** Client metadata in the shape oidc-provider's `clients` configuration expects. */
export function clientMetadata(tooling: ToolingCredentials): Record<string, unknown>[] {
  return [
    {
      client_id: PARTNER_CONSOLE_CLIENT_ID,
      client_name: 'Partner Console',
      application_type: 'native',
      token_endpoint_auth_method: 'none',
      grant_types: ['authorization_code', 'refresh_token'],
      response_types: ['code'],
      redirect_uris: [...PARTNER_CONSOLE_REDIRECT_URIS],
      id_token_signed_response_alg: 'ES256',
    },
    {
      client_id: tooling.client_id,
      client_secret: tooling.client_secret,
      client_name: 'Sandbox tooling',
      application_type: 'web',
      token_endpoint_auth_method: 'client_secret_basic',
      grant_types: ['client_credentials'],
      response_types: [],
      redirect_uris: [],
      id_token_signed_response_alg: 'ES256',
    },
  ];
}
