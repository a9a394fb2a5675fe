#!/usr/bin/env bash
# Builds the two local base images for machines without an image registry (nothing is pulled):
#
#   datastream/jre-base:local      FROM scratch + a JRE made with the host JDK's jlink, the shared
#                                  libraries it needs (ldd), a static busybox for /bin/sh, /etc/passwd
#   datastream/haproxy-base:local  FROM scratch + the host's /usr/sbin/haproxy and its libraries
#
# Needs: docker (a running daemon), a JDK 17+ with jlink and jmods (Debian: openjdk-17-jdk-headless),
# a static busybox (Debian: busybox-static) and haproxy (Debian: haproxy). About 10 s.
# Then: deploy/docker/build-images.sh --local-base
#
# Usage: deploy/docker/build-base.sh [--jre-only | --haproxy-only]
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
work="$repo/deploy/target/docker-base"
export DOCKER_BUILDKIT=0   # the classic builder: no frontend image to pull

# Modules the Datastream jars need (jdeps --print-module-deps over deploy/target/dist/lib, plus
# TLS (jdk.crypto.ec), DNS and zip file systems, and charsets).
JRE_MODULES="java.base,java.compiler,java.desktop,java.instrument,java.logging,java.management,\
java.management.rmi,java.naming,java.net.http,java.scripting,java.security.jgss,java.security.sasl,\
java.sql,java.xml,jdk.attach,jdk.httpserver,jdk.management,jdk.net,jdk.sctp,jdk.unsupported,\
jdk.crypto.ec,jdk.zipfs,jdk.naming.dns,jdk.charsets,jdk.localedata"

want_jre=1 want_haproxy=1
case "${1:-}" in
  --jre-only) want_haproxy=0 ;;
  --haproxy-only) want_jre=0 ;;
  "") ;;
  -h|--help) sed -n '2,14p' "$0"; exit 0 ;;
  *) echo "build-base.sh: unknown option $1" >&2; exit 2 ;;
esac

die() { echo "build-base.sh: $*" >&2; exit 1; }

# docker build, quiet; its output (the classic builder's deprecation notice included) is shown
# only when the build fails
docker_build() {
  local out
  if ! out="$(docker build -q "$@" 2>&1)"; then
    echo "$out" >&2
    return 1
  fi
}
command -v docker >/dev/null || die "docker is not installed (Debian: apt-get install docker.io)"
docker info >/dev/null 2>&1 || die "the docker daemon does not answer (start dockerd)"

# Copies a file into the root fs at the same path, following symlinks of the file itself.
copy_into() {
  local root="$1" f="$2"
  mkdir -p "$root$(dirname "$f")"
  cp -L "$f" "$root$f"
}

# Copies every shared library that ldd lists for the given ELF files (and the loader).
copy_libs() {
  local root="$1"; shift
  local lib
  for lib in $(ldd "$@" 2>/dev/null | grep -o '/[^ ]*\.so[^ ]*' | sort -u); do
    if [ -e "$lib" ]; then copy_into "$root" "$lib"; fi
  done
  return 0
}

common_etc() {
  local root="$1"
  mkdir -p "$root/etc" "$root/tmp" "$root/var/tmp"
  chmod 1777 "$root/tmp" "$root/var/tmp"
  printf 'root:x:0:0:root:/root:/bin/sh\nds:x:10001:10001:datastream:/home/ds:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/bin/false\n' > "$root/etc/passwd"
  printf 'root:x:0:\nds:x:10001:\nnogroup:x:65534:\n' > "$root/etc/group"
  printf 'passwd: files\ngroup: files\nhosts: files dns\n' > "$root/etc/nsswitch.conf"
  mkdir -p "$root/root" "$root/home/ds"
  chown 10001:10001 "$root/home/ds" 2>/dev/null || true
  # name service switch modules are loaded at run time (getaddrinfo, getpwuid), ldd does not list them
  local nss
  for nss in /lib/x86_64-linux-gnu/libnss_files.so.2 /lib/x86_64-linux-gnu/libnss_dns.so.2 \
             /lib/x86_64-linux-gnu/libresolv.so.2 /usr/lib/x86_64-linux-gnu/libnss_files.so.2 \
             /usr/lib/x86_64-linux-gnu/libnss_dns.so.2; do
    if [ -e "$nss" ]; then copy_into "$root" "$nss"; fi
  done
  return 0
}

busybox_into() {
  local root="$1" bb
  bb="$(command -v busybox || true)"
  [ -n "$bb" ] || die "busybox not found (Debian: apt-get install busybox-static)"
  mkdir -p "$root/bin"
  cp -L "$bb" "$root/bin/busybox"
  # Debian's busybox-static needs nothing; a dynamically linked busybox brings its libraries
  copy_libs "$root" "$bb"
  local applet
  for applet in sh ash cat cp mv rm ls mkdir rmdir ln chmod chown touch echo printf env sleep kill ps \
                hostname id grep sed awk head tail wc sort uniq tr cut find xargs du df date stat \
                wget nc test true false expr basename dirname readlink tar gzip zcat vi less; do
    ln -sf busybox "$root/bin/$applet"
  done
  mkdir -p "$root/usr/bin"
  ln -sf /bin/env "$root/usr/bin/env"
}

build_jre() {
  local jlink_bin jdk root
  jlink_bin="${JAVA_HOME:+$JAVA_HOME/bin/}jlink"
  command -v "$jlink_bin" >/dev/null || die "jlink not found (a JDK 17+ is needed: openjdk-17-jdk-headless)"
  jdk="$(dirname "$(dirname "$(readlink -f "$(command -v "$jlink_bin")")")")"
  [ -d "$jdk/jmods" ] || die "$jdk has no jmods directory (Debian: openjdk-17-jdk-headless has it)"
  root="$work/jre/rootfs"
  rm -rf "$work/jre"
  mkdir -p "$root/opt"
  echo "build-base.sh: jlink from $jdk"
  "$jlink_bin" --module-path "$jdk/jmods" --add-modules "$JRE_MODULES" --output "$root/opt/java" \
    --strip-debug --no-man-pages --no-header-files --compress=2
  copy_libs "$root" "$root/opt/java/bin/java" $(find "$root/opt/java/lib" -name '*.so')
  # native libraries that jars unpack at run time (netty epoll, zstd-jni, lz4) need libc, libm, libdl,
  # libpthread, libstdc++ and libgcc_s: make sure they are there even if no JDK library lists them
  local extra
  for extra in libc.so.6 libm.so.6 libdl.so.2 libpthread.so.0 librt.so.1 libz.so.1 libstdc++.so.6 libgcc_s.so.1; do
    for d in /lib/x86_64-linux-gnu /usr/lib/x86_64-linux-gnu; do
      if [ -e "$d/$extra" ]; then copy_into "$root" "$d/$extra"; break; fi
    done
  done
  if [ -e /lib64/ld-linux-x86-64.so.2 ]; then copy_into "$root" /lib64/ld-linux-x86-64.so.2; fi
  common_etc "$root"
  busybox_into "$root"
  cp "$here/base/jre.Dockerfile" "$work/jre/Dockerfile"
  docker_build -t datastream/jre-base:local "$work/jre"
  docker run --rm datastream/jre-base:local java -version >/dev/null 2>&1 || die "datastream/jre-base:local: java -version failed"
  echo "build-base.sh: datastream/jre-base:local ($(docker image inspect -f '{{.Size}}' datastream/jre-base:local | awk '{printf "%d MB", $1/1000000}'))"
}

build_haproxy() {
  local hap root
  hap="$(command -v haproxy || echo /usr/sbin/haproxy)"
  [ -x "$hap" ] || die "haproxy not found (Debian: apt-get install haproxy)"
  root="$work/haproxy/rootfs"
  rm -rf "$work/haproxy"
  mkdir -p "$root/usr/sbin" "$root/usr/local/etc/haproxy" "$root/var/lib/haproxy" "$root/run"
  cp -L "$hap" "$root/usr/sbin/haproxy"
  copy_libs "$root" "$hap"
  if [ -e /lib64/ld-linux-x86-64.so.2 ]; then copy_into "$root" /lib64/ld-linux-x86-64.so.2; fi
  common_etc "$root"
  busybox_into "$root"
  cp "$here/base/haproxy.Dockerfile" "$work/haproxy/Dockerfile"
  docker_build -t datastream/haproxy-base:local "$work/haproxy"
  docker run --rm datastream/haproxy-base:local haproxy -v >/dev/null 2>&1 || die "datastream/haproxy-base:local: haproxy -v failed"
  echo "build-base.sh: datastream/haproxy-base:local ($(docker image inspect -f '{{.Size}}' datastream/haproxy-base:local | awk '{printf "%d MB", $1/1000000}'))"
}

if [ "$want_jre" = 1 ]; then build_jre; fi
if [ "$want_haproxy" = 1 ]; then build_haproxy; fi
exit 0
