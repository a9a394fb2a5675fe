#!/usr/bin/env bash
# Generates the TLS files of the shipped deployments (docs/security.md): a CA, and one router
# certificate whose names are every address agents connect to in the compose cluster and in the
# Kubernetes manifests (HAProxy stays a TCP passthrough, so its name is in the router's
# certificate too). EC P-256; keys are PKCS#8 PEM, which agents and routers read.
#
#   deploy/tls/gen-certs.sh OUT_DIR [--key-mode MODE] [--name DNS]...
#
#   OUT_DIR/ca.pem       the CA certificate: agents' tls.caFile
#   OUT_DIR/ca.key       the CA key (mode 600): keep it offline, it signs routers
#   OUT_DIR/router.pem   the routers' certificate: tls.certFile
#   OUT_DIR/router.key   its key: tls.keyFile (mode 600, or --key-mode: the compose routers run as
#                        uid 10001 and read it from a bind mount, so deploy/compose uses 644)
#
# --name adds a DNS name to the router certificate (repeatable). Existing files are kept: delete
# OUT_DIR to make new ones. Needs OpenSSL 1.1.1 or 3.
set -euo pipefail

usage() { echo "usage: $0 OUT_DIR [--key-mode MODE] [--name DNS]..." >&2; exit 2; }
[ $# -ge 1 ] || usage
out="$1"; shift
key_mode=600
names=(router1 router2 haproxy localhost
       ds-router ds-router.datastream.svc ds-router.datastream.svc.cluster.local
       ds-haproxy ds-haproxy.datastream.svc ds-haproxy.datastream.svc.cluster.local)
while [ $# -gt 0 ]; do
  case "$1" in
    --key-mode) [ $# -ge 2 ] || usage; key_mode="$2"; shift 2 ;;
    --name) [ $# -ge 2 ] || usage; names+=("$2"); shift 2 ;;
    *) usage ;;
  esac
done
command -v openssl >/dev/null || { echo "$0: openssl is not installed (Debian: apt-get install openssl)" >&2; exit 1; }

mkdir -p "$out"
cd "$out"
if [ -e ca.pem ] || [ -e router.pem ]; then
  echo "$0: $out already holds ca.pem or router.pem; kept (delete the directory to make new ones)"
  exit 0
fi
umask 077
san="IP:127.0.0.1"
for n in "${names[@]}"; do san="$san,DNS:$n"; done

openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 825 -subj "/CN=datastream-ca" \
  -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign" \
  -keyout ca.key -out ca.pem 2>/dev/null
openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -subj "/CN=datastream-router" \
  -keyout router.key -out router.csr 2>/dev/null
printf "subjectAltName=%s\nextendedKeyUsage=serverAuth\nkeyUsage=critical,digitalSignature\n" "$san" > router.ext
openssl x509 -req -in router.csr -CA ca.pem -CAkey ca.key -CAcreateserial -days 825 -extfile router.ext -out router.pem 2>/dev/null
rm -f router.csr router.ext ca.srl
chmod 644 ca.pem router.pem
chmod 600 ca.key
chmod "$key_mode" router.key
echo "$0: wrote $out/ca.pem, ca.key, router.pem, router.key (router names: ${names[*]}, 127.0.0.1)"
