#!/bin/sh
# Generates the key that encrypts stored secret values, once per azd environment. It goes to Key
# Vault through a secure parameter; the app reads it through a Key Vault reference.
set -eu
if [ -z "$(azd env get-value CONNECTOR_SECRET_KEY 2>/dev/null || true)" ]; then
  azd env set CONNECTOR_SECRET_KEY "$(openssl rand -base64 32)" >/dev/null
  echo "Generated CONNECTOR_SECRET_KEY for this environment."
fi
