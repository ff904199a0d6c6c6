#!/usr/bin/env bash
# Checks what an operator deploys, as far as this machine can (part of the test
# command; a few seconds):
#   - deploy/kubernetes against Kubernetes' schemas (kubernetes-validate,
#     strict), and built with `kubectl kustomize` where kubectl is installed;
#   - deploy/kubernetes, deploy/compose.yaml, deploy/container/Containerfile and
#     the systemd units: parsed and checked for the fields docs/operations.md
#     promises (deploy/lib/check_artefacts.py, with the project venv's PyYAML);
#     the image's and compose's health checks run against a stand-in server;
#   - the systemd units: `systemd-analyze verify` (clean, no warnings) and the
#     exposure score of `systemd-analyze security`, at most $max_exposure;
#   - the container build, where a container engine can pull the base images
#     (VARDE_CONTAINER_BUILD=1 runs it: it takes many minutes).
set -euo pipefail
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$repo"
max_exposure=2.0
kubernetes_version=1.30.0
venv="${VARDE_DATA_DIR:-$repo/.varde}/venv"
"$venv/bin/python" -c 'import yaml' 2>/dev/null || deploy/python-tools.sh
failed=0

"$venv/bin/python" deploy/lib/check_artefacts.py || failed=1

# The manifests against Kubernetes' own schemas (strict: an unknown field is an
# error), from a venv of their own (the schemas take 100 MB), then the
# kustomization built where kubectl is installed.
kvenv="${VARDE_DATA_DIR:-$repo/.varde}/venv-deploy"
[[ -x $kvenv/bin/kubernetes-validate ]] ||
    { python3 -m venv "$kvenv" && "$kvenv/bin/pip" install -q --disable-pip-version-check 'kubernetes-validate>=1.30,<2'; }
manifests=()
for f in deploy/kubernetes/*.yaml; do [[ $f == */kustomization.yaml ]] || manifests+=("$f"); done
if out=$("$kvenv/bin/kubernetes-validate" --strict --quiet -k "$kubernetes_version" "${manifests[@]}" 2>&1); then
    echo "kubernetes: ${#manifests[@]} files valid against the Kubernetes $kubernetes_version schemas (strict)"
else
    echo "FAILED kubernetes: schema validation:"; echo "$out"; failed=1
fi
if command -v kubectl > /dev/null; then
    if kinds=$(kubectl kustomize deploy/kubernetes 2>&1 | grep -c '^kind:'); then
        echo "kubernetes: kubectl kustomize builds $kinds objects"
    else
        echo "FAILED kubernetes: kubectl kustomize deploy/kubernetes failed"; failed=1
    fi
fi

if ! command -v systemd-analyze > /dev/null; then
    echo "check-artefacts: installing Debian's systemd (for systemd-analyze)" >&2
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq systemd > /dev/null
fi
# An alternate root with the units where an operator puts them, the unit
# folder they refer to (sysinit.target, …) and a real file at ExecStart's
# path; no systemd needs to be running.
root=$(mktemp -d)
trap 'rm -rf "$root"' EXIT
mkdir -p "$root/etc/systemd/system" "$root/usr/lib/systemd" "$root/usr/local/bin"
cp -r /usr/lib/systemd/system "$root/usr/lib/systemd/"
cp deploy/systemd/*.service "$root/etc/systemd/system/"
cp "$(type -P true)" "$root/usr/local/bin/varde"
units=(/etc/systemd/system/varde.service /etc/systemd/system/varde-migrate.service)
# verify exits 0 on unknown keys and bad values: any output is a failure.
if out=$(systemd-analyze verify --root="$root" "${units[@]}" 2>&1) && [[ -z $out ]]; then
    echo "systemd: systemd-analyze verify: clean"
else
    echo "FAILED systemd: systemd-analyze verify:"; echo "$out"; failed=1
fi
for u in "${units[@]}"; do
    score=$(systemd-analyze security --offline=true --root="$root" "$u" 2>&1 | sed -n 's/.*Overall exposure level for \(.*\): \([0-9.]*\) \([A-Z]*\).*/\2 \3/p')
    if [[ -n $score ]] && awk -v s="${score%% *}" -v m="$max_exposure" 'BEGIN { exit !(s <= m) }'; then
        echo "systemd: ${u##*/} exposure $score (at most $max_exposure)"
    else
        echo "FAILED systemd: ${u##*/} exposure ${score:-unknown}, above $max_exposure"; failed=1
    fi
done

# The container build: only where an engine runs and can reach the registry.
engine=""
if timeout 5 docker info > /dev/null 2>&1; then engine=docker
elif command -v podman > /dev/null; then engine=podman
fi
if [[ -z $engine ]]; then
    echo "container: build not run: no container engine (the docker client has no daemon; no podman)"
elif ! timeout 5 getent hosts registry-1.docker.io > /dev/null; then
    echo "container: build not run: $engine is here, but registry-1.docker.io does not resolve, so the base images cannot be pulled"
elif [[ ${VARDE_CONTAINER_BUILD:-0} != 1 ]]; then
    echo "container: build not run: it takes many minutes; VARDE_CONTAINER_BUILD=1 runs it with $engine"
elif $engine build -f deploy/container/Containerfile -t localhost/varde:check . &&
    $engine run --rm --user 12345:0 --read-only localhost/varde:check --help > /dev/null; then
    echo "container: built, and runs under an arbitrary UID with a read-only root"
else
    echo "FAILED container: the build or a run of the image failed"; failed=1
fi
exit "$failed"
