#!/bin/sh
# Give nginx a certificate before it starts (run from the nginx image's /docker-entrypoint.d/).
#
# HOLDSPACE_TLS_CERT and HOLDSPACE_TLS_KEY: paths (inside the container) of a real certificate
# chain and its key, e.g. from Let's Encrypt. Without them, a self-signed pair for
# HOLDSPACE_SERVER_NAME is generated once into HOLDSPACE_TLS_GENERATED_DIR (a volume, so it
# survives restarts), and a loud note says so on every start. nginx.conf reads the chosen pair
# through two links in HOLDSPACE_TLS_LINK_DIR.
set -eu

link_dir=${HOLDSPACE_TLS_LINK_DIR:-/etc/nginx/tls}
generated_dir=${HOLDSPACE_TLS_GENERATED_DIR:-/var/lib/holdspace-tls}
server_name=${HOLDSPACE_SERVER_NAME:-localhost}
cert=${HOLDSPACE_TLS_CERT:-}
key=${HOLDSPACE_TLS_KEY:-}

say() {
  echo "holdspace-tls: $*" >&2
}

loud_note() {
  cat >&2 <<NOTE
################################################################################
#
#   HOLDSPACE IS USING A SELF-SIGNED TLS CERTIFICATE (for ${server_name})
#
#   Browsers will warn everyone who opens the site, and people should not be
#   asked to click through such a warning. This is only for a first look.
#   Bring a real certificate: set HOLDSPACE_TLS_CERT and HOLDSPACE_TLS_KEY
#   (see docs/operations.md, "Real certificates").
#
################################################################################
NOTE
}

if [ -n "$cert" ] || [ -n "$key" ]; then
  if [ -z "$cert" ] || [ -z "$key" ]; then
    say "set both HOLDSPACE_TLS_CERT and HOLDSPACE_TLS_KEY, or neither (for a self-signed pair)"
    exit 1
  fi
  for file in "$cert" "$key"; do
    if [ ! -r "$file" ]; then
      say "cannot read $file: mount the certificate's directory into the nginx container"
      exit 1
    fi
  done
  say "using the certificate $cert"
else
  cert=$generated_dir/self-signed.crt
  key=$generated_dir/self-signed.key
  if [ ! -s "$cert" ] || [ ! -s "$key" ]; then
    mkdir -p "$generated_dir"
    umask 077
    case "$server_name" in
      *[!0-9.]*) alt_name="DNS:${server_name}" ;;
      *) alt_name="IP:${server_name}" ;;
    esac
    openssl req -x509 -newkey rsa:2048 -sha256 -nodes -days 825 \
      -subj "/CN=${server_name}" \
      -addext "subjectAltName=${alt_name}" \
      -keyout "$key" -out "$cert" 2>/dev/null
    say "generated a self-signed certificate for ${server_name} in $generated_dir"
  fi
  loud_note
fi

mkdir -p "$link_dir"
ln -sf "$cert" "$link_dir/holdspace.crt"
ln -sf "$key" "$link_dir/holdspace.key"
