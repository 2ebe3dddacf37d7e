#!/bin/sh
# Event Grid validates an AzureFunction destination against the deployed function, so the event
# subscriptions are created by a second provision pass once the code (with armEvents) is deployed.
set -eu
if [ "$(azd env get-value CONNECTOR_WIRE_EVENT_GRID 2>/dev/null || true)" != "true" ]; then
  azd env set CONNECTOR_WIRE_EVENT_GRID true >/dev/null
  azd provision --no-prompt
fi
