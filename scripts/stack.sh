#!/usr/bin/env bash
# Runs `pulumi <up|preview> --stack <stack>`, creating the stack on first use.
#
#   npm run up -- local             # the same as: scripts/stack.sh up local
#   npm run preview -- ci --diff    # flags after the stack name go to pulumi
#
# Where state goes: PULUMI_BACKEND_URL if set, else Pulumi.yaml's backend.url (file://./.pulumi-state,
# relative to the working directory, hence the cd), else the `pulumi login` backend
# (pulumi.com/docs/iac/cli/environment-variables/, pulumi.com/docs/iac/concepts/projects/project-file/).
#
# Secrets: a stack created on a file backend uses the passphrase secrets provider
# (pulumi.com/docs/iac/cli/commands/pulumi_stack_init/). Pulumi would ask for the passphrase once
# to create the stack and again to run it, so when PULUMI_CONFIG_PASSPHRASE and
# PULUMI_CONFIG_PASSPHRASE_FILE are both unset this asks once (twice for a new stack, to confirm)
# and hands it to both commands in PULUMI_CONFIG_PASSPHRASE.
set -euo pipefail
cd "$(dirname "$0")/.."

command="${1:-}"
stack="${2:-}"
if [[ "$command" != "up" && "$command" != "preview" ]] || [[ -z "$stack" ]]; then
  stacks="$(ls stacks | sed -n 's/^Pulumi\.\(.*\)\.yaml$/\1/p' | xargs)"
  echo "Usage: npm run <up|preview> -- <stack> [pulumi flags]. Stacks: ${stacks}." >&2
  exit 2
fi
shift 2

if ! command -v pulumi >/dev/null; then
  echo "The Pulumi CLI is not on PATH. Install it: https://www.pulumi.com/docs/iac/download-install/" >&2
  exit 1
fi

# Pulumi's file backend refuses a folder that does not exist ("unable to open bucket ...: no such
# file or directory", pulumi/pulumi#15841), so make the one Pulumi.yaml names.
if [[ -z "${PULUMI_BACKEND_URL:-}" ]]; then
  mkdir -p .pulumi-state
fi

is_new=false
pulumi stack select --non-interactive "$stack" >/dev/null 2>&1 || is_new=true

# A passphrase-protected stack keeps its salt in its stack file; a new stack gets the passphrase
# provider unless the backend is Pulumi Cloud.
uses_passphrase=false
if grep -q '^encryptionsalt:' "stacks/Pulumi.${stack}.yaml" 2>/dev/null; then
  uses_passphrase=true
elif $is_new && [[ "${PULUMI_BACKEND_URL:-file://}" != https://* ]]; then
  uses_passphrase=true
fi

if $uses_passphrase && [[ -t 0 ]] && [[ -z "${PULUMI_CONFIG_PASSPHRASE+set}" ]] &&
  [[ -z "${PULUMI_CONFIG_PASSPHRASE_FILE:-}" ]]; then
  read -rsp "Passphrase for the secrets of stack '${stack}': " passphrase
  echo >&2
  if $is_new; then
    read -rsp "The same passphrase again: " again
    echo >&2
    if [[ "$passphrase" != "$again" ]]; then
      echo "The two passphrases differ; nothing was created." >&2
      exit 1
    fi
  fi
  export PULUMI_CONFIG_PASSPHRASE="$passphrase"
fi

if $is_new; then
  pulumi stack select --create "$stack"
fi

# A local or ephemeral stack with edge functions gets a generated JWT secret on first use, so a
# newcomer sets nothing by hand; staging and production set theirs on purpose.
if grep -q '^  orgstack:functions:' "stacks/Pulumi.${stack}.yaml" &&
  grep -Eq '^  orgstack:environment: (local|ephemeral)$' "stacks/Pulumi.${stack}.yaml" &&
  ! pulumi config get orgstack:jwtSecret --stack "$stack" >/dev/null 2>&1; then
  openssl rand -base64 48 | tr -d '\n' | pulumi config set --secret orgstack:jwtSecret --stack "$stack"
  echo "Generated orgstack:jwtSecret for stack '${stack}' (npm run token -- --stack ${stack} mints tokens with it)." >&2
fi
exec pulumi "$command" --stack "$stack" "$@"
