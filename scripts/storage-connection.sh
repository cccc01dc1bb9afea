#!/usr/bin/env bash
# Prints the connection string of the local Azurite that run.sh and run-functions.sh use: its
# well-known development account (public, not a secret) on 127.0.0.1 at AZURITE_BLOB_PORT,
# AZURITE_QUEUE_PORT and AZURITE_TABLE_PORT (10000-10002 unless set). Tools that reach the same
# storage (otpctl) read it from here, so they follow the ports wherever Azurite runs.
set -euo pipefail
account=devstoreaccount1
echo "DefaultEndpointsProtocol=http;AccountName=$account;AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==;BlobEndpoint=http://127.0.0.1:${AZURITE_BLOB_PORT:-10000}/$account;QueueEndpoint=http://127.0.0.1:${AZURITE_QUEUE_PORT:-10001}/$account;TableEndpoint=http://127.0.0.1:${AZURITE_TABLE_PORT:-10002}/$account;"
