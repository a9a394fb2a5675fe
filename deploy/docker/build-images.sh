#!/usr/bin/env bash
# Builds the Datastream images from deploy/target/dist, tagged datastream/<name>:local:
#   agent router control sink    the components (ds launcher)
#   zookeeper kafka haproxy      test infrastructure (the compose cluster and the container suite)
#
# Usage: deploy/docker/build-images.sh [--local-base] [--only NAME,NAME] [--tag TAG]
#   --local-base   build FROM datastream/jre-base:local and datastream/haproxy-base:local (made by
#                  build-base.sh, which is run when they are missing): no registry is needed.
#                  Without it the Dockerfiles' defaults are used (eclipse-temurin:17-jre, haproxy:lts).
#   --only         build only these images
#   --tag          tag instead of "local"
# First: mvn -B -ntp package -DskipTests -pl deploy -am   (makes deploy/target/dist/lib)
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
dist="$repo/deploy/target/dist"
ctx="$repo/deploy/target/docker-context"
export DOCKER_BUILDKIT=0   # the classic builder: no frontend image to pull

local_base=0 tag=local
images="zookeeper kafka control router agent sink haproxy"
while [ $# -gt 0 ]; do
  case "$1" in
    --local-base) local_base=1 ;;
    --only) shift; images="$(echo "${1:?--only needs a list}" | tr ',' ' ')" ;;
    --tag) shift; tag="${1:?--tag needs a value}" ;;
    -h|--help) sed -n '2,14p' "$0"; exit 0 ;;
    *) echo "build-images.sh: unknown option $1" >&2; exit 2 ;;
  esac
  shift
done

die() { echo "build-images.sh: $*" >&2; exit 1; }

# docker build, quiet; its output (the classic builder's deprecation notice included) is shown
# only when the build fails
docker_build() {
  local out
  if ! out="$(docker build -q "$@" 2>&1)"; then
    echo "$out" >&2
    return 1
  fi
}
command -v docker >/dev/null || die "docker is not installed"
docker info >/dev/null 2>&1 || die "the docker daemon does not answer"
[ -d "$dist/lib" ] && [ -n "$(ls "$dist/lib")" ] \
  || die "$dist/lib is missing: run 'mvn -B -ntp package -DskipTests -pl deploy -am' first"

if [ "$local_base" = 1 ]; then
  if ! docker image inspect datastream/jre-base:local >/dev/null 2>&1 \
     || ! docker image inspect datastream/haproxy-base:local >/dev/null 2>&1; then
    "$here/build-base.sh"
  fi
fi

# the build context: the jars (hard links when possible) and these Dockerfiles and configs
rm -rf "$ctx"
mkdir -p "$ctx"
cp -al "$dist/lib" "$ctx/lib" 2>/dev/null || cp -a "$dist/lib" "$ctx/lib"
rm -f "$ctx/lib/.built"
mkdir -p "$ctx/docker"
for d in common agent router control sink zookeeper kafka haproxy; do
  cp -a "$here/$d" "$ctx/docker/$d"
done

for name in $images; do
  [ -f "$here/$name/Dockerfile" ] || die "unknown image $name"
  args=()
  if [ "$local_base" = 1 ]; then
    if [ "$name" = haproxy ]; then
      args+=(--build-arg BASE_IMAGE=datastream/haproxy-base:local)
    else
      args+=(--build-arg BASE_IMAGE=datastream/jre-base:local)
    fi
  fi
  start=$(date +%s)
  docker_build "${args[@]}" -f "$ctx/docker/$name/Dockerfile" -t "datastream/$name:$tag" "$ctx" \
    || die "datastream/$name:$tag failed to build"
  echo "build-images.sh: datastream/$name:$tag built in $(( $(date +%s) - start )) s"
done
# images replaced by this build are left untagged: remove those (only ours, by label)
docker image prune -f --filter label=io.datastream.image >/dev/null 2>&1 || true
